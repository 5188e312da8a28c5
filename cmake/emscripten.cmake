# Browser build with Debian's Emscripten. Checks the compiler against emsdk-version.txt,
# and finds the header-only libraries without adding /usr/include (it would pull in
# glibc's headers and break the wasm build).
file(READ "${CMAKE_SOURCE_DIR}/emsdk-version.txt" LOYALTY_EMCC_EXPECTED)
string(STRIP "${LOYALTY_EMCC_EXPECTED}" LOYALTY_EMCC_EXPECTED)
# Debian keeps emcc.py in EMSCRIPTEN_ROOT_PATH; the compiler wrapper (em++) answers --version.
execute_process(COMMAND "${CMAKE_CXX_COMPILER}" --version
                OUTPUT_VARIABLE LOYALTY_EMCC_VERSION_TEXT ERROR_QUIET)
string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" LOYALTY_EMCC_ACTUAL "${LOYALTY_EMCC_VERSION_TEXT}")
if(NOT LOYALTY_EMCC_ACTUAL STREQUAL LOYALTY_EMCC_EXPECTED)
  message(FATAL_ERROR
    "emcc is version '${LOYALTY_EMCC_ACTUAL}', but emsdk-version.txt pins '${LOYALTY_EMCC_EXPECTED}'.\n"
    "Run scripts/setup.sh (it installs Debian's emscripten package), or, if you upgraded "
    "Emscripten on purpose, write the new version into emsdk-version.txt and rebuild SDL2 "
    "by running scripts/setup.sh again.")
endif()
message(STATUS "emcc ${LOYALTY_EMCC_ACTUAL} matches emsdk-version.txt")

set(LOYALTY_WASM_INCLUDE_DIR "${CMAKE_BINARY_DIR}/wasm-include")
file(MAKE_DIRECTORY "${LOYALTY_WASM_INCLUDE_DIR}")
foreach(header_dir nlohmann doctest)
  if(NOT EXISTS "/usr/include/${header_dir}")
    message(FATAL_ERROR "/usr/include/${header_dir} is missing: run scripts/setup.sh")
  endif()
  file(CREATE_LINK "/usr/include/${header_dir}" "${LOYALTY_WASM_INCLUDE_DIR}/${header_dir}" SYMBOLIC)
endforeach()
add_library(loyalty_wasm_headers INTERFACE)
target_include_directories(loyalty_wasm_headers SYSTEM INTERFACE "${LOYALTY_WASM_INCLUDE_DIR}")
set(LOYALTY_JSON_TARGET loyalty_wasm_headers)
set(LOYALTY_DOCTEST_TARGET loyalty_wasm_headers)

set(LOYALTY_CACHE_DIR "$ENV{HOME}/.cache/loyalty" CACHE PATH "cache of SDL2 and ImGui built by scripts/setup.sh")
if(DEFINED ENV{LOYALTY_CACHE_DIR})
  set(LOYALTY_CACHE_DIR "$ENV{LOYALTY_CACHE_DIR}" CACHE PATH "" FORCE)
endif()
add_compile_options(-Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
# Link-time optimisation lets the wasm inline across the core's files (the compiled wasm
# cannot do it at run time the way a native CPU hides calls): +25 % accrual in wasm.
if(CMAKE_BUILD_TYPE STREQUAL "Release")
  add_compile_options(-flto)
  add_link_options(-flto)
endif()
