#include "modinput/input_definition.h"

#include <cstdint>
#include <sstream>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include "common/text.h"

namespace vd::modinput {
namespace {

namespace pt = boost::property_tree;

std::string Attr(const pt::ptree& node, const char* name) {
  if (auto attrs = node.get_child_optional("<xmlattr>")) {
    if (auto v = attrs->get_optional<std::string>(name)) return *v;
  }
  return "";
}

bool IsMarkup(const std::string& key) { return key == "<xmlattr>" || key == "<xmlcomment>"; }

Status ParseParams(const pt::ptree& node, Stanza* stanza) {
  for (const auto& [key, child] : node) {
    if (IsMarkup(key)) continue;
    std::string name = Attr(child, "name");
    if (name.empty()) return Status::Parse("<" + key + "> without a name attribute");
    if (key == "param") {
      stanza->params[name] = std::string(Trim(child.data()));
    } else if (key == "param_list") {
      auto& list = stanza->param_lists[name];
      for (const auto& [vkey, value] : child) {
        if (IsMarkup(vkey)) continue;
        if (vkey != "value") return Status::Parse("unexpected <" + vkey + "> in <param_list>");
        list.emplace_back(Trim(value.data()));
      }
    } else {
      return Status::Parse("unexpected <" + key + "> in stanza '" + stanza->name + "'");
    }
  }
  return Status::Ok();
}

Result<pt::ptree> ReadTree(std::string_view xml) {
  if (xml.size() > kMaxDefinitionBytes) return Status::Limit("configuration document too large");
  Result<std::string> text = DecodeXmlBytes(xml);
  if (!text.ok()) return text.status();
  pt::ptree tree;
  try {
    std::istringstream in(text.value());
    pt::read_xml(in, tree, pt::xml_parser::no_comments);
  } catch (const pt::xml_parser_error& e) {
    return Status::Parse(std::string("configuration XML: ") + e.message() + " at line " +
                         std::to_string(e.line()));
  } catch (const std::exception& e) {
    return Status::Parse(std::string("configuration XML: ") + e.what());
  }
  return tree;
}

// Reads the children of the root: metadata texts, and `list_tag` children handed to `on_list`.
template <class OnChild>
Status ReadRoot(const pt::ptree& root, InputDefinition* def, OnChild on_child) {
  for (const auto& [key, child] : root) {
    if (IsMarkup(key)) continue;
    if (Status s = on_child(key, child); s.code() != Status::Code::kNotFound) {
      if (!s.ok()) return s;
      continue;
    }
    if (!child.empty() && !(child.size() == 1 && child.begin()->first == "<xmlattr>")) {
      continue;  // an unknown structured element: tolerated, like the SDK
    }
    def->metadata[key] = std::string(Trim(child.data()));
  }
  return Status::Ok();
}

Result<std::pair<std::string, pt::ptree>> SingleRoot(const pt::ptree& tree) {
  const pt::ptree* root = nullptr;
  std::string name;
  for (const auto& [key, child] : tree) {
    if (IsMarkup(key)) continue;
    if (root != nullptr) return Status::Parse("more than one root element");
    root = &child;
    name = key;
  }
  if (root == nullptr) return Status::Parse("empty configuration document");
  return std::make_pair(name, *root);
}

}  // namespace

std::string_view Stanza::Param(std::string_view key) const {
  auto it = params.find(std::string(key));
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view InputDefinition::Meta(std::string_view key) const {
  auto it = metadata.find(std::string(key));
  return it == metadata.end() ? std::string_view() : std::string_view(it->second);
}

Result<std::string> DecodeXmlBytes(std::string_view bytes) {
  auto b = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
  if (bytes.size() >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
    return std::string(bytes.substr(3));
  }
  if (bytes.size() < 2) return std::string(bytes);
  bool big = b(0) == 0xFE && b(1) == 0xFF;
  bool little = b(0) == 0xFF && b(1) == 0xFE;
  if (!big && !little) return std::string(bytes);
  if (bytes.size() % 2 != 0) return Status::Parse("UTF-16 document with an odd byte count");
  auto unit = [&](size_t i) -> uint32_t {
    return big ? (b(i) << 8) | b(i + 1) : (b(i + 1) << 8) | b(i);
  };
  std::string out;
  out.reserve(bytes.size() / 2);
  for (size_t i = 2; i < bytes.size(); i += 2) {
    uint32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 2 >= bytes.size()) return Status::Parse("truncated UTF-16 surrogate pair");
      uint32_t lo = unit(i + 2);
      if (lo < 0xDC00 || lo > 0xDFFF) return Status::Parse("invalid UTF-16 surrogate pair");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      i += 2;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return Status::Parse("invalid UTF-16 surrogate");
    }
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  // The declaration still says utf-16; the parser ignores it, but say the truth anyway.
  if (out.rfind("<?xml", 0) == 0) {
    size_t end = out.find("?>");
    size_t enc = out.find("encoding=", 0);
    if (end != std::string::npos && enc != std::string::npos && enc < end) {
      size_t q = enc + 9;
      char quote = q < out.size() ? out[q] : '"';
      size_t close = out.find(quote, q + 1);
      if (close != std::string::npos && close < end) out.replace(q + 1, close - q - 1, "utf-8");
    }
  }
  return out;
}

Result<InputDefinition> ParseInputDefinition(std::string_view xml) {
  Result<pt::ptree> tree = ReadTree(xml);
  if (!tree.ok()) return tree.status();
  auto root = SingleRoot(tree.value());
  if (!root.ok()) return root.status();
  if (root.value().first != "input") {
    return Status::Parse("expected <input>, found <" + root.value().first + ">");
  }
  InputDefinition def;
  Status s =
      ReadRoot(root.value().second, &def, [&](const std::string& key, const pt::ptree& node) {
        if (key != "configuration") return Status::NotFound("");
        for (const auto& [skey, snode] : node) {
          if (IsMarkup(skey)) continue;
          if (skey != "stanza")
            return Status::Parse("unexpected <" + skey + "> in <configuration>");
          Stanza stanza;
          stanza.name = Attr(snode, "name");
          stanza.app = Attr(snode, "app");
          if (stanza.name.empty()) return Status::Parse("<stanza> without a name attribute");
          if (Status ps = ParseParams(snode, &stanza); !ps.ok()) return ps;
          def.stanzas.push_back(std::move(stanza));
        }
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return def;
}

Result<InputDefinition> ParseValidationDefinition(std::string_view xml) {
  Result<pt::ptree> tree = ReadTree(xml);
  if (!tree.ok()) return tree.status();
  auto root = SingleRoot(tree.value());
  if (!root.ok()) return root.status();
  if (root.value().first != "items") {
    return Status::Parse("expected <items>, found <" + root.value().first + ">");
  }
  InputDefinition def;
  Status s =
      ReadRoot(root.value().second, &def, [&](const std::string& key, const pt::ptree& node) {
        if (key != "item") return Status::NotFound("");
        if (!def.stanzas.empty()) return Status::Parse("<items> holds more than one <item>");
        Stanza stanza;
        stanza.name = Attr(node, "name");
        stanza.app = Attr(node, "app");
        if (Status ps = ParseParams(node, &stanza); !ps.ok()) return ps;
        def.stanzas.push_back(std::move(stanza));
        return Status::Ok();
      });
  if (!s.ok()) return s;
  if (def.stanzas.size() != 1) return Status::Parse("<items> holds no <item>");
  return def;
}

}  // namespace vd::modinput
