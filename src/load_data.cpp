#include "load_data.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

namespace crit {

namespace fs = std::filesystem;

namespace {
bool is_yaml(const fs::path& p) { return p.extension() == ".yaml" || p.extension() == ".yml"; }

void load_file(const fs::path& p, const Bindings& b, LoadResult& out, Diagnostics& diags) {
    if (is_yaml(p)) {
        load_yaml_timelines(p.string(), b, out, diags);
        return;
    }
    diags.error(DiagCode::Io, Span{},
                fmt::format("{}: unsupported data format (expected a YAML timeline, .yaml or .yml)", p.string()));
}
}  // namespace

void load_patients(const std::vector<std::string>& paths, const Bindings& b, LoadResult& out, Diagnostics& diags) {
    for (const auto& path : paths) {
        std::error_code ec;
        fs::path p(path);
        if (fs::is_directory(p, ec)) {
            std::vector<fs::path> files;
            for (const auto& e : fs::recursive_directory_iterator(p, ec))
                if (e.is_regular_file() && is_yaml(e.path())) files.push_back(e.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) load_file(f, b, out, diags);
        } else if (fs::exists(p, ec)) {
            load_file(p, b, out, diags);
        } else {
            diags.error(DiagCode::Io, Span{}, fmt::format("{}: no such file or directory", path));
        }
    }
}

}  // namespace crit
