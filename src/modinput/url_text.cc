#include "modinput/url_text.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace vd::modinput {

std::string PercentEncode(std::string_view text) {
  return boost::urls::encode(boost::urls::string_view(text.data(), text.size()),
                             boost::urls::unreserved_chars);
}

}  // namespace vd::modinput
