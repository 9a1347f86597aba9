# cmake -DDIRS="dir1;dir2" -P check_plugins_unique.cmake
# Fails when any plugin in DIRS exports STB_GNU_UNIQUE symbols (dlclose could not unload it).
foreach(dir ${DIRS})
  file(GLOB plugins "${dir}/*.so")
  if(NOT plugins)
    message(FATAL_ERROR "no plugins found in ${dir}")
  endif()
  foreach(plugin ${plugins})
    execute_process(COMMAND ${CMAKE_COMMAND} -DPLUGIN=${plugin}
                            -P ${CMAKE_CURRENT_LIST_DIR}/../sdk/cmake/CheckNoUniqueSymbols.cmake
                    RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
      message(FATAL_ERROR "${plugin} has UNIQUE symbols")
    endif()
    message(STATUS "no UNIQUE symbols: ${plugin}")
  endforeach()
endforeach()
