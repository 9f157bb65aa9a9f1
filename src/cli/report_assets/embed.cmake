# Writes OUT, a C++ file defining crit::report_template(), report_css() and report_js()
# over the bytes of report.html, report.css and report.js in DIR. Bytes, not a raw string
# literal: no delimiter can clash with the text, and no tool beyond CMake is needed.
#   cmake -DDIR=src/cli/report_assets -DOUT=build/generated/report_assets.cpp -P embed.cmake
set(code "// Generated from src/cli/report_assets by embed.cmake; edit those files instead.\n#include \"cli/report_assets.hpp\"\n\nnamespace crit {\n")
foreach(pair "report_template;report.html" "report_css;report.css" "report_js;report.js")
  list(GET pair 0 fn)
  list(GET pair 1 file)
  file(READ ${DIR}/${file} hex HEX)
  string(LENGTH "${hex}" n)
  math(EXPR bytes "${n} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," body "${hex}")
  string(REGEX REPLACE "(('\\\\x[0-9a-f][0-9a-f]',){32})" "\\1\n" body "${body}")
  string(APPEND code "\nnamespace { const char ${fn}_bytes[] = {\n${body}'\\0'}; }\nstd::string_view ${fn}() { return {${fn}_bytes, ${bytes}}; }\n")
endforeach()
string(APPEND code "\n}  // namespace crit\n")
file(WRITE ${OUT}.tmp "${code}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
