#include "core/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <fmt/format.h>

namespace crit {

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
    namespace fs = std::filesystem;
    fs::path target(path_);
    std::error_code ec;
    auto st = fs::status(target, ec);
    if (fs::exists(st) && !fs::is_regular_file(st)) {
        // A device or pipe (/dev/stdout, /dev/full, a FIFO) is written in place: it cannot be
        // replaced, and must not be (renaming over /dev/full would replace the device).
        direct_ = true;
        out_.open(path_, std::ios::binary);
        if (!out_) error_ = fmt::format("{}: cannot write: {}", path_, std::strerror(errno));
        return;
    }
    // Through a link, replace the file the link names and keep the link.
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(target, ec)); ++hops) {
        fs::path to = fs::read_symlink(target, ec);
        if (ec) break;
        target = to.is_absolute() ? to : target.parent_path() / to;
    }
    target_ = target.string();
    std::string tmpl = (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    int fd = ::mkstemp(tmpl.data());  // mode 0600
    if (fd < 0) {
        error_ = fmt::format("{}: cannot write: {}", path_, std::strerror(errno));
        return;
    }
    ::close(fd);
    temp_ = tmpl;
    // A file replaced keeps its mode; a new one stays 0600 (outputs hold patient data).
    if (auto old = fs::status(target, ec); !ec && fs::is_regular_file(old))
        fs::permissions(temp_, old.permissions(), ec);
    out_.open(temp_, std::ios::binary | std::ios::trunc);
    if (!out_) error_ = fmt::format("{}: cannot write: {}", path_, std::strerror(errno));
}

AtomicFile::~AtomicFile() {
    if (!committed_ && !direct_ && !temp_.empty()) {
        out_.close();
        std::remove(temp_.c_str());
    }
}

bool AtomicFile::commit() {
    if (!ok()) return false;
    out_.flush();
    if (!out_) {
        error_ = fmt::format("{}: cannot write: {}", path_, std::strerror(errno ? errno : EIO));
        return false;
    }
    out_.close();
    if (out_.fail()) {
        error_ = fmt::format("{}: cannot write: {}", path_, std::strerror(errno ? errno : EIO));
        return false;
    }
    if (direct_) {
        committed_ = true;
        return true;
    }
    int fd = ::open(temp_.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    if (std::rename(temp_.c_str(), target_.c_str()) != 0) {
        error_ = fmt::format("{}: cannot write: {}", path_, std::strerror(errno));
        return false;
    }
    committed_ = true;
    return true;
}

bool flushed(std::ostream& out) {
    out.flush();
    return !out.fail();
}

}  // namespace crit
