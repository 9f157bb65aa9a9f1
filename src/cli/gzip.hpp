// A gzip stream built in memory, and base64: how a large report embeds its data (a
// 1,000-patient cohort's explanations are 70 MB of very repetitive text, 9 MB so), which
// the page unpacks with the browser's own DecompressionStream.
#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace crit {

class GzipWriter {
public:
    GzipWriter();
    ~GzipWriter();
    GzipWriter(const GzipWriter&) = delete;
    GzipWriter& operator=(const GzipWriter&) = delete;
    void write(std::string_view text);
    // The whole gzip member; the writer is spent.
    std::string finish();

private:
    struct State;
    std::unique_ptr<State> s_;
};

std::string base64(std::string_view bytes);

}  // namespace crit
