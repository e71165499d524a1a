namespace Funnel.Core.DuckDbTests;

/// <summary>reached.sql against rule 2 taken literally (every chain tried), on generated logs full of ties.</summary>
public sealed class OracleReachTests
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
}
