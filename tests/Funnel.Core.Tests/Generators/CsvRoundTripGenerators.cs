using System.Collections.Immutable;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>Generated logs with hostile keys for <see cref="TransitionLogCsvRoundTripTests"/>: CSV and comparison hazards, their look-alikes, odd delimiters and chunk sizes.</summary>
internal static class CsvRoundTripGenerators
{
    private static readonly FunnelDefinition Aida = FunnelTemplates.Aida;

    /// <summary>Pieces that keys are made of: each one is a CSV or comparison hazard.</summary>
    private static readonly string[] Pieces =
    [
        "\"", "\"\"", ",", ";", "\t", "\r", "\n", "\r\n", " ", "a", "A", "b", "0", "07", "7",
        "caf\u00e9", "cafe\u0301", "\u00c5", "A\u030a", "\u00df", "SS", "\u65e5\u672c", "\ud83d\ude00", "\uFEFF", "-9223372036854775808",
    ];

    /// <summary>A key of 1..5 pieces; sometimes only spaces around a plain word.</summary>
    private static Gen<string> KeyGen() =>
        Gen.Elements(Pieces).ListOf().Where(p => p.Count is > 0 and <= 5).Select(p => string.Concat(p));

    /// <summary>Adds the look-alikes of some keys: upper and lower case, NFC and NFD, a trailing space.</summary>
    private static List<string> WithLookAlikes(IEnumerable<string> keys, int variant)
    {
        var result = new List<string>();
        foreach (var key in keys)
        {
            result.Add(key);
            result.Add((variant % 4) switch
            {
                0 => key.ToUpperInvariant(),
                1 => key.Normalize(NormalizationForm.FormD),
                2 => key.Normalize(NormalizationForm.FormC),
                _ => key + " ",
            });
        }

        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    internal sealed record CsvCase(string[] EntityPool, string[] SegmentPool, bool WithSegments, char Delimiter, (int Entity, int Stage, long Time, int Reason, int Segment)[] Rows, int ChunkRows)
    {
        /// <summary>The log with entity ids and segment codes given in order of first appearance, as the reader gives them.</summary>
        public (TransitionLog Log, string[] Entities, string[] Segments) Build()
        {
            var entities = new EntityInterner<string>(StringComparer.Ordinal);
            var segments = new EntityInterner<string>(StringComparer.Ordinal);
            var builder = new TransitionLogBuilder(withSegments: WithSegments);
            foreach (var row in Rows)
            {
                var segment = WithSegments && row.Segment >= 0 ? segments.Intern(SegmentPool[row.Segment]) : TransitionLog.NoSegment;
                builder.Add(entities.Intern(EntityPool[row.Entity]), row.Stage, row.Time, row.Reason, segment);
            }

            return (builder.Build(), [.. entities.ToImmutableArray()], [.. segments.ToImmutableArray()]);
        }

        public override string ToString() =>
            $"delimiter U+{(int)Delimiter:X4}, chunk {ChunkRows}, segments {WithSegments}, entities [{string.Join(" | ", EntityPool.Select(Escape))}], segments [{string.Join(" | ", SegmentPool.Select(Escape))}], rows [{string.Join("; ", Rows.Select(r => $"{r.Entity}:{r.Stage}@{r.Time}x{r.Reason}s{r.Segment}"))}]";

        private static string Escape(string key) => string.Concat(key.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
    }

    internal static Arbitrary<CsvCase> CaseArbitrary()
    {
        var reasons = Aida.LossReasons.Length;
        var gen =
            from keys in KeyGen().ListOf().Where(k => k.Count is > 0 and <= 6)
            from variant in Gen.Choose(0, 3)
            from segmentKeys in KeyGen().ListOf().Where(k => k.Count <= 4)
            from withSegments in Gen.Elements(true, false)
            from delimiter in Gen.Elements(',', ',', ';', '\t')
            let entityPool = WithLookAlikes(keys, variant).ToArray()
            let segmentPool = segmentKeys.Distinct(StringComparer.Ordinal).ToArray()
            from rows in RowGen(entityPool.Length, segmentPool.Length, reasons).ListOf()
            from chunkRows in Gen.Elements(1, 2, 3, 5, 1000)
            select new CsvCase(entityPool, segmentPool, withSegments, delimiter, rows.ToArray(), chunkRows);
        return gen.ToArbitrary();
    }

    private static Gen<(int, int, long, int, int)> RowGen(int entities, int segments, int reasons) =>
        from entity in Gen.Choose(0, entities - 1)
        from stage in Gen.Choose(0, Aida.Stages.Length - 1)
        from time in Gen.OneOf(
            Gen.Elements(TransitionLog.MinTimestamp, TransitionLog.MaxTimestamp, 0L, -1L, 1L),
            Gen.Choose(0, 1000).Select(t => 1_767_225_600L + t))
        from lossPick in Gen.Choose(0, 3)
        from reason in Gen.Choose(0, reasons - 1)
        from segment in Gen.Choose(-1, segments - 1)
        select (entity, stage, time, lossPick == 0 ? reason : -1, segment);
}
