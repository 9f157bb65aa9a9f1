# Compiles one file against one wing's view (-fsyntax-only) and checks the outcome:
#   cmake -DCXX=... -DVIEW=build/views/vm -DFILE=... -DEXPECT=ok|<regex of the error> -P compile.cmake
execute_process(COMMAND ${CXX} -std=c++20 -fsyntax-only -I${VIEW} ${FILE}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(EXPECT STREQUAL "ok")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${FILE} should compile against ${VIEW}:\n${err}")
  endif()
elseif(rc EQUAL 0)
  message(FATAL_ERROR "${FILE} compiled against ${VIEW}, but the view should refuse it")
elseif(NOT err MATCHES "${EXPECT}")
  message(FATAL_ERROR "${FILE} failed against ${VIEW}, but not with `${EXPECT}`:\n${err}")
endif()
