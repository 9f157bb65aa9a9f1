// The NDJSON index on disk: an anonymous temporary file of LineRefs. The Bulk
// loader keeps its index in memory up to a budget and spills past it, so the
// memory a load needs does not grow with the export (load_fhir.hpp).
#pragma once
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "data/fhir_json.hpp"

namespace crit::fhir {

class LineSpill {
public:
    LineSpill() = default;
    LineSpill(const LineSpill&) = delete;
    LineSpill& operator=(const LineSpill&) = delete;
    LineSpill(LineSpill&& o) noexcept : f_(o.f_), count_(o.count_) { o.f_ = nullptr; }
    ~LineSpill();

    // Creates the file in `dir`, unlinked at once: nothing is left behind, even when the
    // process is killed. Returns "" or what went wrong.
    std::string open(const std::filesystem::path& dir);
    bool is_open() const { return f_ != nullptr; }
    // Closes the file (and with it, its disk space).
    void close();

    // Appends `n` refs; false on a write error (a full disk).
    bool write(const LineRef* refs, std::size_t n);
    // Ends the writing; the next read starts at the first ref. False on a write error.
    bool rewind();
    // Reads up to `n` refs into `out`: how many were read (0 at the end). A short file (it
    // cannot be, unless the disk failed) is reported by bad().
    std::size_t read(LineRef* out, std::size_t n);
    bool bad() const { return f_ && std::ferror(f_); }
    std::uint64_t count() const { return count_; }

private:
    std::FILE* f_ = nullptr;
    std::uint64_t count_ = 0;
};

}  // namespace crit::fhir
