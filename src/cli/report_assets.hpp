// The page the report is written into: report_assets/report.{html,css,js}, compiled into
// the binary at build time (report_assets/embed.cmake), so a report never fetches anything.
#pragma once
#include <string_view>

namespace crit {

std::string_view report_template();  // the HTML with {{TITLE}} {{CSS}} {{BODY}} {{DATA}} {{JS}}
std::string_view report_css();
std::string_view report_js();

}  // namespace crit
