# sunshine_sanitizers: ASan + UBSan when SUNSHINE_SANITIZE is on (CI builds the tests this way).
add_library(sunshine_sanitizers INTERFACE)
if(SUNSHINE_SANITIZE)
  target_compile_options(sunshine_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(sunshine_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
