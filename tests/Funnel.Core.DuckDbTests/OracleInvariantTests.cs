namespace Funnel.Core.DuckDbTests;

/// <summary>
/// The oracle checked on its own, on generated logs full of ties: the two reach files against rule 2 taken literally
/// (every chain tried) and against each other, and the identities SEMANTICS.md states between the metrics, which the
/// SQL files compute apart.
/// </summary>
public sealed class OracleInvariantTests
{
    [Fact]
    public void Reached_GeneratedLogs_EqualsExhaustiveSearchOverChains()
    {
        var seed = RandomLogs.Seed;
        var cases = RandomLogs.Generate(seed, 400);

        var results = DuckDbOracle.Run(cases);

        for (var i = 0; i < cases.Length; i++)
        {
            var expected = ExhaustiveReach.Compute(cases[i]);
            Assert.True(
                expected.SequenceEqual(results[i].Reached),
                $"Seed {seed}, log {i} ({cases[i].Describe()}): exhaustive [{string.Join(", ", expected)}], DuckDB [{string.Join(", ", results[i].Reached)}]");
        }
    }

    [Fact]
    public void Reached_StepWindowsWithoutLimits_EqualsReachedWithoutStepWindows()
    {
        // reached_step_windows.sql keeps every end time, reached.sql only the earliest: with no step limited they agree.
        var seed = RandomLogs.Seed + 3;
        var plain = RandomLogs.Generate(seed, 300).Where(c => c.StageCount > 1).Select(c => c with { StepWindows = null }).ToArray();
        var unlimited = plain.Select(c => c with { StepWindows = [.. Enumerable.Repeat(long.MaxValue, c.StageCount - 1)] });

        var results = DuckDbOracle.Run([.. plain, .. unlimited]);

        for (var i = 0; i < plain.Length; i++)
        {
            Assert.True(
                results[i].Reached.SequenceEqual(results[plain.Length + i].Reached),
                $"Seed {seed}, log {i} ({plain[i].Describe()}): reached.sql [{string.Join(", ", results[i].Reached)}], reached_step_windows.sql [{string.Join(", ", results[plain.Length + i].Reached)}]");
        }
    }

    [Fact]
    public void Run_GeneratedLogs_MetricsAgreeWithEachOther()
    {
        var seed = RandomLogs.Seed + 2;
        var cases = RandomLogs.Generate(seed, 400);

        var results = DuckDbOracle.Run(cases);

        for (var i = 0; i < cases.Length; i++)
        {
            var r = results[i];
            var n = cases[i].StageCount;
            var name = $"Seed {seed}, log {i} ({cases[i].Describe()})";
            Assert.Equal(cases[i].Log.Count, r.Events);

            // Rule 3: the matrix totals events - entities; rule 4: each row's stays are that row's pairs.
            Assert.True(r.Transitions.Cast<long>().Sum() == r.Events - r.Entities, $"{name}: matrix total");
            for (var row = 0; row <= n; row++)
            {
                var pairs = Enumerable.Range(0, n + 1).Sum(col => r.Transitions[row, col]);
                Assert.True(pairs == r.Stays[row], $"{name}: row {row} has {pairs} pairs and {r.Stays[row]} stays");
                // The lower median is element (c-1)/2, so the c - (c-1)/2 elements from it on are each at least it.
                var atLeastMedian = r.Stays[row] - ((r.Stays[row] - 1) / 2);
                Assert.True(r.Medians[row] * (Int128)atLeastMedian <= r.Totals[row], $"{name}: row {row} median {r.Medians[row]} above what the total allows");
            }

            // Rule 5: losses at stage s total Transitions[s, n]; losses after a loss total Transitions[n, n]; every
            // loss event is counted once.
            for (var s = 0; s < n; s++)
            {
                var losses = Enumerable.Range(0, cases[i].ReasonCount).Sum(q => r.Losses[s, q]);
                Assert.True(losses == r.Transitions[s, n], $"{name}: losses at stage {s}");
            }

            Assert.True(r.LossesAfterLoss.Sum() == r.Transitions[n, n], $"{name}: losses after a loss");
            var lossEvents = Enumerable.Range(0, cases[i].Log.Count).Count(e => cases[i].Log.LossReasons[e] >= 0);
            Assert.True(r.Losses.Cast<long>().Sum() + r.LossesAfterLoss.Sum() + r.LossesAtUnknownStage.Sum() == lossEvents, $"{name}: loss events");

            // Rule 6: every entity has one outcome, and none is open at or past the goal.
            Assert.True(r.Won + r.Lost + r.OpenAt.Sum() == r.Entities, $"{name}: outcomes");
            Assert.True(r.OpenAt.Skip(cases[i].Goal).All(o => o == 0), $"{name}: open at or past the goal");

            // Rule 2: reach never grows along the funnel.
            Assert.True(r.Reached.Zip(r.Reached.Skip(1)).All(p => p.First >= p.Second), $"{name}: reach grows");
        }
    }
}
