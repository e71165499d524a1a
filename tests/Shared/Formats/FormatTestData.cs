using System.Globalization;
using System.Text;
using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Formats.Tests;

/// <summary>One event as the tests write it to every format: text keys, Unix seconds, null for "none".</summary>
internal sealed record TestRow(string Entity, string Stage, long Seconds, string? Reason, string? Segment);

/// <summary>A definition, a deterministic log shaped like a real export, and the CSV path to compare with.</summary>
internal static class FormatTestData
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    /// <summary>s0 → s1 → s2 (goal) → s3, free-form, two loss reasons.</summary>
    public static FunnelDefinition Definition { get; } =
        new FunnelDefinitionBuilder("formats")
            .AddStage("s0")
            .AddStage("s1")
            .AddStage("s2")
            .AddStage("s3")
            .WonAt("s2")
            .WithTransitionOptions(TransitionOptions.FreeForm)
            .AddLossReason("price", "Price", LossCategory.Price)
            .AddLossReason("competitor", "Competitor", LossCategory.Competitor)
            .Build();

    /// <summary>
    /// A log of <paramref name="leads"/> leads, rows shuffled across leads (not in time order), with ties at one second,
    /// losses (also as a lead's first event and after a loss), re-entries, leads without stage 0, and some without a segment.
    /// </summary>
    public static IReadOnlyList<TestRow> Rows(int leads = 300, int seed = 7)
    {
        var random = new Random(seed);
        var rows = new List<TestRow>();
        var segments = new[] { "ads", "seo", "mail", null };
        for (var lead = 0; lead < leads; lead++)
        {
            var entity = "lead-" + random.Next(1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            var segment = segments[random.Next(segments.Length)];
            var time = 1_767_225_600L + random.Next(0, 86_400 * 60);
            var stage = random.Next(10) == 0 ? 1 : 0;
            var steps = random.Next(1, 7);
            for (var step = 0; step < steps; step++)
            {
                var lost = random.Next(6) == 0;
                rows.Add(new TestRow(entity, "s" + stage, time, lost ? (random.Next(2) == 0 ? "price" : "competitor") : null, segment));
                time += random.Next(4) == 0 ? 0 : random.Next(1, 86_400 * 3);
                stage = Math.Clamp(stage + random.Next(-1, 3), 0, 3);
            }
        }

        // Interleave the leads: a stable shuffle of blocks keeps each lead's own order in part only.
        return [.. rows.Select((row, i) => (row, key: random.Next())).OrderBy(x => x.key).Select(x => x.row)];
    }

    /// <summary>The rows as a CSV text with the default column names.</summary>
    public static string ToCsv(IEnumerable<TestRow> rows)
    {
        var text = new StringBuilder("entity,stage,timestamp,loss_reason,segment\n");
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row.Entity},{row.Stage},{row.Seconds},{row.Reason},{row.Segment}\n");
        }

        return text.ToString();
    }

    /// <summary>The same rows through the library's CSV reader: the reference every other format must equal.</summary>
    public static (TransitionLog Log, TransitionLogCsvReader Reader) ReadCsv(IEnumerable<TestRow> rows)
    {
        var reader = new TransitionLogCsvReader(new StringReader(ToCsv(rows)), Definition);
        var result = reader.ReadChunk(int.MaxValue)!;
        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        return (result.Log, reader);
    }

    /// <summary>Asserts that two logs hold the same rows in the same order, and that their keys agree.</summary>
    public static void AssertSameLog(
        TransitionLog expected, EntityInterner<string> expectedEntities, EntityInterner<string> expectedSegments,
        TransitionLog actual, EntityInterner<string> actualEntities, EntityInterner<string> actualSegments)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expectedEntities.ToImmutableArray().ToArray(), actualEntities.ToImmutableArray().ToArray());
        Assert.Equal(expectedSegments.ToImmutableArray().ToArray(), actualSegments.ToImmutableArray().ToArray());
        Assert.Equal(expected.EntityIds.ToArray(), actual.EntityIds.ToArray());
        Assert.Equal(expected.Stages.ToArray(), actual.Stages.ToArray());
        Assert.Equal(expected.Timestamps.ToArray(), actual.Timestamps.ToArray());
        Assert.Equal(expected.LossReasons.ToArray(), actual.LossReasons.ToArray());
        Assert.Equal(expected.HasSegments, actual.HasSegments);
        Assert.Equal(expected.Segments.ToArray(), actual.Segments.ToArray());
        Assert.Equal(Analyze(expected), Analyze(actual));
    }

    public static TransitionReport Analyze(TransitionLog log) => new TransitionAnalyzer(Definition, Window).Analyze(log);

    public static int StageOrdinal(string stage) => int.Parse(stage.AsSpan(1), CultureInfo.InvariantCulture);

    public static int ReasonOrdinal(string? reason) => reason switch
    {
        null => -1,
        "price" => 0,
        _ => 1,
    };
}
