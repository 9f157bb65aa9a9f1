#include "cli/gzip.hpp"

#include <stdexcept>

#include <zlib.h>

namespace crit {

struct GzipWriter::State {
    z_stream z{};
    std::string out;
    void pump(int flush) {
        char buf[1 << 15];
        int rc;
        do {
            z.next_out = reinterpret_cast<Bytef*>(buf);
            z.avail_out = sizeof buf;
            rc = deflate(&z, flush);
            if (rc == Z_STREAM_ERROR) throw std::runtime_error("gzip: deflate failed");
            out.append(buf, sizeof buf - z.avail_out);
        } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    }
};

GzipWriter::GzipWriter() : s_(std::make_unique<State>()) {
    // windowBits 15 + 16: a gzip header and trailer, as DecompressionStream("gzip") reads.
    if (deflateInit2(&s_->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("gzip: cannot start a stream");
}

GzipWriter::~GzipWriter() { deflateEnd(&s_->z); }

void GzipWriter::write(std::string_view text) {
    while (!text.empty()) {
        // avail_in is 32 bits: a long text goes in slices.
        std::size_t n = std::min<std::size_t>(text.size(), 1u << 30);
        s_->z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
        s_->z.avail_in = static_cast<uInt>(n);
        s_->pump(Z_NO_FLUSH);
        text.remove_prefix(n);
    }
}

std::string GzipWriter::finish() {
    s_->z.next_in = nullptr;
    s_->z.avail_in = 0;
    s_->pump(Z_FINISH);
    return std::move(s_->out);
}

std::string base64(std::string_view bytes) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                     static_cast<unsigned char>(bytes[i + 2]);
        out += abc[v >> 18];
        out += abc[(v >> 12) & 63];
        out += abc[(v >> 6) & 63];
        out += abc[v & 63];
    }
    if (i < bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += abc[v >> 18];
        out += abc[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? abc[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

}  // namespace crit
