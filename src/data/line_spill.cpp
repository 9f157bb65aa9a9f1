// See line_spill.hpp.
#include "data/line_spill.hpp"

#include <cerrno>
#include <cstring>
#include <vector>

#include <unistd.h>

namespace crit::fhir {

LineSpill::~LineSpill() { close(); }

void LineSpill::close() {
    if (f_) std::fclose(f_);
    f_ = nullptr;
    count_ = 0;
}

std::string LineSpill::open(const std::filesystem::path& dir) {
    std::string name = (dir / "crit-index-XXXXXX").string();
    std::vector<char> path(name.begin(), name.end());
    path.push_back('\0');
    int fd = ::mkstemp(path.data());
    if (fd < 0) return std::strerror(errno);
    ::unlink(path.data());
    f_ = ::fdopen(fd, "w+b");
    if (!f_) {
        std::string why = std::strerror(errno);
        ::close(fd);
        return why;
    }
    // Many partitions are written at once: a modest buffer each.
    std::setvbuf(f_, nullptr, _IOFBF, std::size_t{64} << 10);
    return "";
}

bool LineSpill::write(const LineRef* refs, std::size_t n) {
    if (!f_) return false;
    count_ += n;
    return std::fwrite(refs, sizeof(LineRef), n, f_) == n;
}

bool LineSpill::rewind() {
    if (!f_) return false;
    bool ok = std::fflush(f_) == 0 && !std::ferror(f_);
    return std::fseek(f_, 0, SEEK_SET) == 0 && ok;
}

std::size_t LineSpill::read(LineRef* out, std::size_t n) { return f_ ? std::fread(out, sizeof(LineRef), n, f_) : 0; }

}  // namespace crit::fhir
