# CoreIncludesOnlyGoDown: every #include "FOLDER/…" in core/ names a folder of the including
# file's own layer or of a layer below it, as core/CMakeLists.txt defines them (its map is
# build/core_layers.txt); and every folder of core/ belongs to a layer.
#   cmake -DMAP=build/core_layers.txt -DCORE=core -P tests/check_layers.cmake
cmake_minimum_required(VERSION 3.25)
file(STRINGS ${MAP} lines REGEX "^[^#]")
set(folders)
foreach(line IN LISTS lines)
  string(REPLACE " " ";" fields "${line}")
  list(GET fields 0 folder)
  list(GET fields 1 layer)
  list(GET fields 2 sees)
  string(REPLACE "," ";" sees "${sees}")
  set(layer_of_${folder} ${layer})
  set(sees_of_${folder} ${sees})
  list(APPEND folders ${folder})
endforeach()

set(problems 0)
file(GLOB entries RELATIVE ${CORE} ${CORE}/*)
foreach(entry IN LISTS entries)
  if(IS_DIRECTORY ${CORE}/${entry} AND NOT entry IN_LIST folders)
    message(SEND_ERROR "core/${entry}/ belongs to no layer: add it to a layer's FOLDERS in core/CMakeLists.txt")
    math(EXPR problems "${problems} + 1")
  endif()
endforeach()

file(GLOB_RECURSE sources RELATIVE ${CORE} ${CORE}/*.cpp ${CORE}/*.hpp)
foreach(source IN LISTS sources)
  string(REGEX MATCH "^[^/]+" folder "${source}")
  if(NOT DEFINED layer_of_${folder})
    continue()  # reported above
  endif()
  file(STRINGS ${CORE}/${source} includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"[^\"/]+/")
  foreach(include IN LISTS includes)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([^\"/]+)/.*" "\\1" target "${include}")
    if(NOT DEFINED layer_of_${target})
      continue()  # not a core folder (e.g. "actionhost/abi.h" comes from sdk/)
    endif()
    if(NOT layer_of_${target} IN_LIST sees_of_${folder})
      message(SEND_ERROR "core/${source} (layer ${layer_of_${folder}}) includes ${target}/ "
                         "(layer ${layer_of_${target}}, above it): move the code it needs down, or "
                         "name it through an interface in a lower layer (as actions/action_call.hpp does)")
      math(EXPR problems "${problems} + 1")
    endif()
  endforeach()
endforeach()

list(LENGTH sources checked)
if(problems GREATER 0)
  message(FATAL_ERROR "${problems} layer violation(s) in core/")
endif()
message(STATUS "core/: ${checked} files, every include goes down or stays in its layer")
