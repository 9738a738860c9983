# sunshine_warnings: linked by every target so the warning set is the same everywhere.
add_library(sunshine_warnings INTERFACE)
target_compile_options(sunshine_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(SUNSHINE_WERROR)
  target_compile_options(sunshine_warnings INTERFACE -Werror)
endif()
