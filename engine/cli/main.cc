#include <iostream>

#include "engine/cli/command.h"

int main(int argc, char** argv) { return sunshine::RunCli(argc, argv, std::cout, std::cerr); }
