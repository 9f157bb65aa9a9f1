// What the fuzz targets share: the shipped bindings (loaded once), a private
// scratch directory for the entry points that read files, and a sink for output.
// A target hands the fuzzer's bytes to crit's own entry points and ignores what
// they report; only a crash, a sanitizer report, an escaping exception, a leak,
// a hang or runaway memory is a finding. Nothing here exits or aborts.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <streambuf>
#include <string>
#include <unistd.h>

#include "core/bindings.hpp"
#include "core/diag.hpp"

namespace crit_fuzz {

namespace fs = std::filesystem;

// The shipped bindings/default.yaml, loaded once per process. If they cannot be
// loaded (a broken tree), the target runs with empty bindings rather than stop.
inline const crit::Bindings& bindings() {
    static const crit::Bindings b = [] {
        crit::Diagnostics d;
        auto r = crit::load_bindings(crit::default_bindings_path(), d);
        return r ? *r : crit::Bindings{};
    }();
    return b;
}

// A directory of this process's own under $TMPDIR (or /tmp), removed at exit.
class Scratch {
public:
    Scratch() {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/crit-fuzz-XXXXXX";
        if (char* made = ::mkdtemp(pattern.data())) dir_ = made;
        else dir_ = fs::temp_directory_path() / ("crit-fuzz-" + std::to_string(::getpid()));
        std::error_code ec;
        fs::create_directories(dir_, ec);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    const fs::path& dir() const { return dir_; }
    // Writes `size` bytes to `name` in the directory; returns its path.
    std::string write(const std::string& name, const std::uint8_t* data, std::size_t size) const {
        fs::path p = dir_ / name;
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        return p.string();
    }

private:
    fs::path dir_;
};

inline Scratch& scratch() {
    static Scratch s;
    return s;
}

// An ostream that drops everything (reports the entry points print).
class NullBuf : public std::streambuf {
protected:
    int overflow(int c) override { return c == traits_type::eof() ? 0 : c; }
    std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};
inline std::ostream& null_out() {
    static NullBuf buf;
    static std::ostream out(&buf);
    return out;
}

}  // namespace crit_fuzz
