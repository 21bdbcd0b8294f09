#include "detect/bulk.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "common/huge_pages.h"
#include "detect/peak_windows.h"

namespace vd::detect {
namespace {

using events::IdentityEvent;
using events::StrId;

// Floor division: bins are aligned to the epoch for times before 1970 too.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t CountInSpan(const std::vector<TimeMs>& sorted_times, TimeMs lo, TimeMs hi) {
  return std::upper_bound(sorted_times.begin(), sorted_times.end(), hi) -
         std::lower_bound(sorted_times.begin(), sorted_times.end(), lo);
}

void SortUnique(std::vector<StrId>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// Everything known about one initiator's resets.
struct Initiator {
  StrId key = events::kEmptyStr;
  bool helpdesk_named = false;
  std::vector<uint32_t> resets;     // indices into d.resets, not allow-listed, in order
  std::vector<TimeMs> allowlisted;  // times, ascending
  std::vector<TimeMs> failed;       // times, ascending
};

class IncidentBuilder {
 public:
  IncidentBuilder(const DedupedEvents& d, const std::vector<bool>& starts_chain,
                  const PrintedNames& names, const StrOrder& order, const Options& options)
      : d_(d), starts_chain_(starts_chain), names_(names), order_(order), options_(options) {}

  // `members`: indices into d.resets, in EventLess (so time) order.
  BulkFinding Build(const Initiator& who, const std::vector<uint32_t>& members) const {
    BulkFinding f;
    f.initiator = std::string(names_.Of(who.key));
    f.initiator_key = std::string(order_.Text(who.key));
    f.helpdesk_named = who.helpdesk_named;
    f.reset_count = static_cast<int64_t>(members.size());
    // Distinct ids are distinct texts (interned), so ids are deduplicated before any string
    // is made; the lists are then sorted by text.
    std::vector<StrId> targets, ips;
    targets.reserve(members.size());
    unsigned source_bits = 0;
    bool chain = false;
    for (uint32_t i : members) {
      const IdentityEvent& e = d_.resets[i];
      targets.push_back(e.target_key);
      if (e.initiator_ip != events::kEmptyStr) {
        ips.push_back(e.initiator_ip);
        if (f.src.empty()) f.src = std::string(order_.Text(e.initiator_ip));
      }
      const unsigned src = static_cast<unsigned>(e.source);  // anything else prints "Other"
      source_bits |= 1u << (src <= static_cast<unsigned>(events::Source::kOther)
                                ? src
                                : static_cast<unsigned>(events::Source::kOther));
      if (!starts_chain_.empty() && starts_chain_[i]) chain = true;
    }
    SortUnique(&targets);
    SortUnique(&ips);
    f.affected_accounts.reserve(targets.size());
    for (StrId t : targets) f.affected_accounts.emplace_back(names_.Of(t));
    std::sort(f.affected_accounts.begin(), f.affected_accounts.end());
    f.source_ips.reserve(ips.size());
    for (StrId ip : ips) f.source_ips.emplace_back(order_.Text(ip));
    std::sort(f.source_ips.begin(), f.source_ips.end());
    // SourceName texts in text order: "AD" < "Entra" < "O365" < "Other".
    for (events::Source src : {events::Source::kAd, events::Source::kEntra, events::Source::kO365,
                               events::Source::kOther}) {
      if (source_bits & (1u << static_cast<unsigned>(src))) f.sources.emplace_back(SourceName(src));
    }
    f.unique_targets = static_cast<int64_t>(targets.size());
    f.first_reset = d_.resets[members.front()].time;
    f.last_reset = d_.resets[members.back()].time;
    // The seed's round(x, 0) on a non-negative number: half up.
    f.timespan_minutes = (f.last_reset - f.first_reset + 30'000) / 60'000;
    f.failed_resets = CountInSpan(who.failed, f.first_reset, f.last_reset);
    f.allowlisted_resets = CountInSpan(who.allowlisted, f.first_reset, f.last_reset);
    f.severity = BulkSeverity(f.unique_targets, f.helpdesk_named);
    if (chain && options_.mode == Mode::kAll) {
      f.raised_by_chain = true;
      f.severity = Severity::kCritical;
    }
    return f;
  }

 private:
  const DedupedEvents& d_;
  const std::vector<bool>& starts_chain_;
  const PrintedNames& names_;
  const StrOrder& order_;
  const Options& options_;
};

std::vector<Initiator> GroupByInitiator(const DedupedEvents& d, const PrintedNames& names,
                                        const Options& options) {
  std::vector<Initiator> out;
  std::unordered_map<StrId, size_t> at;
  auto slot = [&](const IdentityEvent& e) -> Initiator& {
    auto [it, fresh] = at.try_emplace(e.initiator_key, out.size());
    if (fresh) {
      out.emplace_back();
      out.back().key = e.initiator_key;
    }
    Initiator& who = out[it->second];
    if (e.helpdesk) who.helpdesk_named = true;
    return who;
  };
  for (size_t i = 0; i < d.resets.size(); ++i) {
    const IdentityEvent& e = d.resets[i];
    Initiator& who = slot(e);
    if (e.allowlisted) {
      who.allowlisted.push_back(e.time);
    } else {
      who.resets.push_back(static_cast<uint32_t>(i));
    }
  }
  for (const IdentityEvent& e : d.failed_resets) slot(e).failed.push_back(e.time);
  for (Initiator& who : out) {
    if (!who.helpdesk_named && options.is_helpdesk_name) {
      who.helpdesk_named = options.is_helpdesk_name(names.Of(who.key));
    }
  }
  return out;
}

void FixedBins(const Initiator& who, const DedupedEvents& d, const IncidentBuilder& build,
               const Options& options, std::vector<BulkFinding>* out) {
  const DurationMs width = std::max<DurationMs>(options.window, 1);
  const int64_t min_targets = std::max<int64_t>(options.min_targets, 1);
  std::vector<uint32_t> members;
  auto flush = [&] {
    if (members.empty()) return;
    BulkFinding f = build.Build(who, members);
    // The seed's filter, with the help-desk regex it uses for RiskScore (not its narrower one).
    if (f.unique_targets >= min_targets || who.helpdesk_named) {
      ReserveHuge(out, out->size() + 1);  // tens of MB of findings
      out->push_back(std::move(f));
    }
    members.clear();
  };
  int64_t bin = 0;
  for (uint32_t i : who.resets) {
    int64_t b = FloorDiv(d.resets[i].time, width);
    if (!members.empty() && b != bin) flush();
    bin = b;
    members.push_back(i);
  }
  flush();
}

void SlidingWindows(const Initiator& who, const DedupedEvents& d, const IncidentBuilder& build,
                    const Options& options, std::vector<BulkFinding>* out) {
  std::vector<TimeMs> times;
  std::vector<uint32_t> targets;
  std::vector<StrId> keys;  // distinct target keys, ascending ids: a dense target is its rank
  times.reserve(who.resets.size());
  targets.reserve(who.resets.size());
  keys.reserve(who.resets.size());
  for (uint32_t i : who.resets) keys.push_back(d.resets[i].target_key);
  SortUnique(&keys);
  for (uint32_t i : who.resets) {
    times.push_back(d.resets[i].time);
    targets.push_back(static_cast<uint32_t>(
        std::lower_bound(keys.begin(), keys.end(), d.resets[i].target_key) - keys.begin()));
  }
  std::vector<PeakWindow> windows =
      GreedyPeakWindows(times, targets, std::max<DurationMs>(options.window, 0),
                        options.min_targets, who.helpdesk_named);
  std::vector<uint32_t> members;
  for (const PeakWindow& w : windows) {
    members.clear();
    for (uint32_t k : w.members) members.push_back(who.resets[k]);
    ReserveHuge(out, out->size() + 1);
    out->push_back(build.Build(who, members));
  }
}

}  // namespace

Severity BulkSeverity(int64_t unique_targets, bool helpdesk_named) {
  if (unique_targets >= 5) return Severity::kCritical;
  if (unique_targets >= 3) return Severity::kHigh;
  if (unique_targets >= 2) return Severity::kMedium;
  if (helpdesk_named && unique_targets >= 1) return Severity::kMedium;
  return Severity::kLow;
}

std::vector<BulkFinding> FindBulk(const DedupedEvents& d, const std::vector<bool>& starts_chain,
                                  const PrintedNames& names, const StrOrder& order,
                                  const Options& options) {
  std::vector<BulkFinding> out;
  IncidentBuilder build(d, starts_chain, names, order, options);
  for (const Initiator& who : GroupByInitiator(d, names, options)) {
    if (who.resets.empty()) continue;
    if (options.binning == Binning::kFixed) {
      FixedBins(who, d, build, options, &out);
    } else {
      SlidingWindows(who, d, build, options, &out);
    }
  }
  return out;
}

}  // namespace vd::detect
