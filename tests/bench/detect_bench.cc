// Analytics alone (no protocol, no CSV): Analyze() on generated identity events.

#include <random>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "detect/findings.h"
#include "scenario.h"

namespace vd::detect::testing {
namespace {

// One script resetting `n` distinct accounts over 24 hours (DESIGN.md §3.3's worst case
// for the greedy windows: one initiator, everything in one list).
void ScriptResets(Scenario* sc, int n) {
  const TimeMs step = 24 * kHour / n;
  for (int i = 0; i < n; ++i) {
    sc->Reset(Day() + i * step, "CONTOSO\\svc-script", "CONTOSO\\acct" + std::to_string(i), "4724",
              Source::kAd);
  }
}

// A week of a large tenant: 200 help-desk operators, 50,000 users; resets (each emitted
// twice, as the portal does), MFA changes and sign-ins in shuffled order.
void TenantWeek(Scenario* sc, int n) {
  std::mt19937_64 rng(42);
  const TimeMs week = 7 * 24 * kHour;
  for (int i = 0; i < n; ++i) {
    const TimeMs t = Day() + static_cast<TimeMs>(rng() % week);
    const std::string user = "user" + std::to_string(rng() % 50000) + "@contoso.com";
    switch (rng() % 10) {
      case 0: {
        const std::string op = "helpdesk" + std::to_string(rng() % 200) + "@contoso.com";
        // Built with append: GCC 12 -O3 warns falsely (-Wrestrict) on "literal" + to_string().
        std::string corr = "c";
        corr += std::to_string(i);
        sc->Reset(t, op, user).correlation_id = sc->S(corr);
        sc->Reset(t + 1500, op, user, "Reset password (by admin)").correlation_id = sc->S(corr);
        break;
      }
      case 1:
        sc->Mfa(t, user);
        break;
      default:
        sc->Signin(t, user,
                   "10.0." + std::to_string(rng() % 256) + "." + std::to_string(rng() % 256));
    }
  }
}

void Run(benchmark::State& state, void (*make)(Scenario*, int), Binning binning) {
  Scenario sc;
  make(&sc, static_cast<int>(state.range(0)));
  Options o = DefaultOptions();
  o.binning = binning;
  size_t findings = 0;
  for (auto _ : state) {
    // The command moves its events in; the copy that stands in for that is not timed.
    state.PauseTiming();
    std::vector<IdentityEvent> events = sc.events;
    state.ResumeTiming();
    Findings f = Analyze(std::move(events), sc.pool, o);
    findings = f.bulk.size() + f.chains.size();
    benchmark::DoNotOptimize(f);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * sc.events.size()));
  state.counters["events"] = static_cast<double>(sc.events.size());
  state.counters["findings"] = static_cast<double>(findings);
}

void BM_ScriptSliding(benchmark::State& s) { Run(s, ScriptResets, Binning::kSliding); }
void BM_ScriptFixed(benchmark::State& s) { Run(s, ScriptResets, Binning::kFixed); }
void BM_TenantSliding(benchmark::State& s) { Run(s, TenantWeek, Binning::kSliding); }

BENCHMARK(BM_ScriptSliding)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScriptFixed)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TenantSliding)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vd::detect::testing

BENCHMARK_MAIN();
