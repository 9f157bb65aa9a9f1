// A unified diff of two texts, line by line (`crit fmt --diff`): the longest common
// subsequence of their lines, shown as hunks with three lines of context, as `diff -u`
// prints them, so a reviewer or `patch` reads it; written here so crit needs no diff tool.
#pragma once
#include <string>
#include <string_view>

namespace crit {

// "" when the texts are equal; otherwise `--- old_name`, `+++ new_name` and the hunks.
std::string unified_diff(std::string_view old_text, std::string_view new_text, const std::string& old_name,
                         const std::string& new_name);

}  // namespace crit
