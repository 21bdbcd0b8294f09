#pragma once
// Helpers shared by the modinput tests: fixture files and an XML parser (Boost.PropertyTree,
// a real XML parser, independent of the code under test).

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

namespace vd::modinput::testing {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string DataFile(const std::string& name) {
  return ReadFile(std::string(VD_TEST_DATA) + "/modinput/" + name);
}

// Parses `xml`; throws (failing the test) when it is not well-formed.
inline boost::property_tree::ptree ParseXml(const std::string& xml) {
  boost::property_tree::ptree tree;
  std::istringstream in(xml);
  boost::property_tree::read_xml(in, tree,
                                 boost::property_tree::xml_parser::no_comments |
                                     boost::property_tree::xml_parser::trim_whitespace);
  return tree;
}

// Element names among the children of `node` (attributes and comments excluded).
inline std::multiset<std::string> ChildNames(const boost::property_tree::ptree& node) {
  std::multiset<std::string> names;
  for (const auto& [k, v] : node) {
    if (k != "<xmlattr>" && k != "<xmlcomment>") names.insert(k);
  }
  return names;
}

// UTF-8 (ASCII-range and BMP) -> UTF-16 with a BOM, big or little endian.
inline std::string ToUtf16(const std::string& utf8, bool big_endian) {
  std::string out = big_endian ? std::string("\xFE\xFF", 2) : std::string("\xFF\xFE", 2);
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    unsigned cp;
    if (c < 0x80) {
      cp = c;
      i += 1;
    } else if ((c >> 5) == 6) {
      cp = ((c & 0x1F) << 6) | (utf8[i + 1] & 0x3F);
      i += 2;
    } else {
      cp = ((c & 0x0F) << 12) | ((utf8[i + 1] & 0x3F) << 6) | (utf8[i + 2] & 0x3F);
      i += 3;
    }
    char hi = static_cast<char>(cp >> 8), lo = static_cast<char>(cp & 0xFF);
    out.push_back(big_endian ? hi : lo);
    out.push_back(big_endian ? lo : hi);
  }
  return out;
}

}  // namespace vd::modinput::testing
