// What `crit --version` prints: filled in by src/cli/build_info.cmake at build time.
#pragma once

namespace crit {

struct BuildInfo {
    const char* version;   // project(crit VERSION ...) in CMakeLists.txt
    const char* revision;  // git commit of the source tree ("-dirty" if changed), or "unknown"
    const char* build_type;
};
BuildInfo build_info();

}  // namespace crit
