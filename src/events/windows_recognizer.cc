#include "events/windows_recognizer.h"

#include "events/text_util.h"

namespace vd::events {
namespace {

// "DOMAIN\user" as the events print it; a user that already carries a domain, or an
// absent/"-" domain, is kept as it is.
std::string_view Qualified(std::string_view domain, std::string_view user, std::string* buf) {
  if (domain.empty() || user.find('\\') != std::string_view::npos) return user;
  buf->assign(domain);
  buf->push_back('\\');
  buf->append(user);
  return *buf;
}

bool IsFailure(std::string_view keywords, std::string_view status, std::string_view action,
               std::string_view result) {
  // Keywords 0x8010000000000000 = Audit Failure, 0x8020000000000000 = Audit Success.
  if (ContainsIgnoreCase(keywords, "failure") || StartsWithIgnoreCase(keywords, "0x8010")) {
    return true;
  }
  for (std::string_view s : {status, action, result}) {
    if (StartsWithIgnoreCase(Trim(s), "fail")) return true;
  }
  return false;
}

}  // namespace

void WindowsRecognizer::SetHeader(Header h) {
  time_ = FindColumn(h, "_time");
  raw_ = FindColumn(h, "_raw");
  sourcetype_ = FindColumn(h, "sourcetype");
  source_ = FindColumn(h, "source");
  event_code_ = FindColumn(h, "EventCode");
  event_id_ = FindColumn(h, "EventID");
  subject_user_ = FindColumn(h, "SubjectUserName");
  subject_domain_ = FindColumn(h, "SubjectDomainName");
  target_user_ = FindColumn(h, "TargetUserName");
  target_domain_ = FindColumn(h, "TargetDomainName");
  src_user_ = FindColumn(h, "src_user");
  user_ = FindColumn(h, "user");
  src_nt_domain_ = FindColumn(h, "src_nt_domain");
  dest_nt_domain_ = FindColumn(h, "dest_nt_domain");
  keywords_ = FindColumn(h, "Keywords");
  status_ = FindColumn(h, "status");
  action_ = FindColumn(h, "action");
  result_ = FindColumn(h, "result");
  record_number_ = FindColumn(h, "RecordNumber");
  event_record_id_ = FindColumn(h, "EventRecordID");
  computer_name_ = FindColumn(h, "ComputerName");
  computer_ = FindColumn(h, "Computer");
  ip_address_ = FindColumn(h, "IpAddress");
  account_name_ = FindMvColumn(h, "Account_Name");
  account_domain_ = FindMvColumn(h, "Account_Domain");
}

bool WindowsRecognizer::Applies(Cells c) const {
  if (!Trim(CellAt(c, event_code_)).empty() || !Trim(CellAt(c, event_id_)).empty()) return true;
  if (ContainsIgnoreCase(CellAt(c, sourcetype_), "WinEventLog") ||
      ContainsIgnoreCase(CellAt(c, source_), "WinEventLog")) {
    return true;
  }
  std::string_view raw = Trim(CellAt(c, raw_));
  return raw.substr(0, 6) == "<Event";
}

bool WindowsRecognizer::ParseRaw(std::string_view raw) {
  raw = Trim(raw);
  if (!raw.empty() && raw.front() == '<') return ParseWindowsXml(raw, &raw_fields_, &raw_scratch_);
  return ParseWindowsClassic(raw, &raw_fields_);
}

RecognizeResult WindowsRecognizer::Recognize(Cells c, EventDraft* d) {
  std::string_view raw = CellAt(c, raw_);
  bool raw_parsed = false;
  bool raw_ok = false;
  auto parse_raw_once = [&]() -> bool {
    if (!raw_parsed) {
      raw_parsed = true;
      raw_ok = !raw.empty() && raw.size() <= kMaxParsedRawBytes && ParseRaw(raw);
    }
    return raw_ok;
  };

  std::string_view code = Clean(CellAt(c, event_code_));
  if (code.empty()) code = Clean(CellAt(c, event_id_));
  if (code.empty()) {
    if (Trim(raw).empty()) return RecognizeResult::Irrelevant();
    if (raw.size() > kMaxParsedRawBytes) return RecognizeResult::Skipped(SkipReason::kOversized);
    if (!parse_raw_once()) return RecognizeResult::Skipped(SkipReason::kMalformedRaw);
    code = raw_fields_.event_id;
  }
  // 4724: an admin reset; 4720: an account created (the same Subject / Target fields).
  if (code != "4724" && code != "4720") return RecognizeResult::Irrelevant();

  // Extracted fields: the XML names, then CIM src_user/user, then the classic pairs
  // (Account_Name = [subject, target]).
  std::string_view subject = Clean(CellAt(c, subject_user_));
  std::string_view subject_domain = Clean(CellAt(c, subject_domain_));
  std::string_view target = Clean(CellAt(c, target_user_));
  std::string_view target_domain = Clean(CellAt(c, target_domain_));
  if (subject.empty()) {
    subject = Clean(CellAt(c, src_user_));
    if (subject_domain.empty()) subject_domain = Clean(CellAt(c, src_nt_domain_));
  }
  if (target.empty()) {
    target = Clean(CellAt(c, user_));
    if (target_domain.empty()) target_domain = Clean(CellAt(c, dest_nt_domain_));
  }
  if ((subject.empty() || target.empty()) && names_.Split(c, account_name_) == 2) {
    domains_.Split(c, account_domain_);
    if (subject.empty()) {
      subject = Clean(names_[0]);
      if (subject_domain.empty() && domains_.size() == 2) subject_domain = Clean(domains_[0]);
    }
    if (target.empty()) {
      target = Clean(names_[1]);
      if (target_domain.empty() && domains_.size() == 2) target_domain = Clean(domains_[1]);
    }
  }
  std::string_view keywords = CellAt(c, keywords_);
  std::string_view record = Clean(CellAt(c, record_number_));
  if (record.empty()) record = Clean(CellAt(c, event_record_id_));
  std::string_view computer = Clean(CellAt(c, computer_name_));
  if (computer.empty()) computer = Clean(CellAt(c, computer_));

  bool need_time = Trim(CellAt(c, time_)).empty();
  if (subject.empty() || target.empty() || need_time) {
    if (raw.size() > kMaxParsedRawBytes && (subject.empty() || target.empty())) {
      return RecognizeResult::Skipped(SkipReason::kOversized);
    }
    if (parse_raw_once()) {
      if (subject.empty()) {
        subject = Clean(raw_fields_.subject_user);
        subject_domain = Clean(raw_fields_.subject_domain);
      }
      if (target.empty()) {
        target = Clean(raw_fields_.target_user);
        target_domain = Clean(raw_fields_.target_domain);
      }
      if (keywords.empty()) keywords = raw_fields_.keywords;
      if (record.empty()) record = Clean(raw_fields_.record_id);
      if (computer.empty()) computer = Clean(raw_fields_.computer);
      d->source_time = Trim(raw_fields_.system_time);
    } else if (target.empty() && !Trim(raw).empty()) {
      return RecognizeResult::Skipped(SkipReason::kMalformedRaw);
    }
  }

  if (target.empty()) return RecognizeResult::Skipped(SkipReason::kMissingTarget);
  // Computer accounts (trailing '$') are machine-password resets, not people.
  if (target.back() == '$') return RecognizeResult::Irrelevant();
  if (subject.empty()) return RecognizeResult::Skipped(SkipReason::kMissingInitiator);

  d->kind = code == "4720" ? Kind::kCreated : Kind::kReset;
  d->source = Source::kAd;
  d->outcome = IsFailure(keywords, CellAt(c, status_), CellAt(c, action_), CellAt(c, result_))
                   ? Outcome::kFailure
                   : Outcome::kSuccess;
  d->operation = code == "4720" ? "4720" : "4724";
  d->initiator_ip = Clean(CellAt(c, ip_address_));
  d->initiator = Qualified(subject_domain, subject, &initiator_buf_);
  d->target = Qualified(target_domain, target, &target_buf_);
  // Record numbers are unique per computer only.
  if (!record.empty()) {
    if (computer.empty()) {
      d->event_id = record;
    } else {
      event_id_buf_.assign(computer);
      event_id_buf_.push_back(':');
      event_id_buf_.append(record);
      d->event_id = event_id_buf_;
    }
  }
  return RecognizeResult::Recognized();
}

}  // namespace vd::events
