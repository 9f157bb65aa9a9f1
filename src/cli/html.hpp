// Text from data (patient ids, file names, rule text) put into an HTML page.
#pragma once
#include <string>
#include <string_view>

namespace crit {

// For element content and quoted attribute values: & < > " ' as character references.
std::string html_escape(std::string_view s);

// JSON text for a <script type="application/json"> block: every < > & becomes its \u
// escape (they can only stand inside JSON strings), so no `</script>` or `<!--` in the
// data can end or bend the block, and JSON.parse reads back the same text.
std::string script_json(std::string_view json);

}  // namespace crit
