# cmake -DPLUGIN=path/to/plugin.so -P CheckNoUniqueSymbols.cmake
# Fails when the library exports STB_GNU_UNIQUE symbols, which make dlclose a no-op.
find_program(READELF readelf REQUIRED)
execute_process(COMMAND ${READELF} -W --dyn-syms "${PLUGIN}"
                OUTPUT_VARIABLE symbols RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "readelf failed on ${PLUGIN}")
endif()
string(REGEX MATCHALL "[^\n]* UNIQUE [^\n]*" unique "${symbols}")
if(unique)
  list(JOIN unique "\n" lines)
  message(FATAL_ERROR "${PLUGIN} exports STB_GNU_UNIQUE symbols, so it could never be "
                      "unloaded; build it with actionhost_add_plugin, and the static libraries it "
                      "links with actionhost_add_plugin_library (or compile them with -fPIC "
                      "-fvisibility=hidden -fvisibility-inlines-hidden -fno-gnu-unique):\n${lines}")
endif()
