using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>
/// CSV written by <see cref="TransitionLogCsvWriter"/> and read by <see cref="TransitionLogCsvReader"/> is the
/// in-memory log again (issue 14, "CSV written then read back = the in-memory log"), for keys built to break CSV:
/// quotes, delimiters, CR/LF, spaces at either end, non-ASCII, case pairs and NFC/NFD pairs.
/// </summary>
public sealed class TransitionLogCsvRoundTripTests
{
    private static readonly FunnelDefinition Aida = FunnelTemplates.Aida;

    [Property(MaxTest = 300)]
    public Property WriteThenRead_HostileKeys_GivesTheSameLogAndKeys()
    {
        return Prop.ForAll(CsvRoundTripGenerators.CaseArbitrary(), c =>
        {
            var (log, entities, segments) = c.Build();
            var options = new TransitionLogCsvOptions { Delimiter = c.Delimiter, ChunkRows = c.ChunkRows };
            var text = new StringWriter();
            TransitionLogCsvWriter.Write(text, log, Aida, entities, segments, options);

            var reader = new TransitionLogCsvReader(new StringReader(text.ToString()), Aida, options);
            var result = reader.ReadChunk(int.MaxValue)!;

            return (result.IsClean
                    && result.RowsRead == log.Count
                    && result.Log.HasSegments == log.HasSegments
                    && TransitionLogCsvWriterTests.Rows(result.Log).SequenceEqual(TransitionLogCsvWriterTests.Rows(log))
                    && reader.Entities.ToImmutableArray().SequenceEqual(entities, StringComparer.Ordinal)
                    && reader.Segments.ToImmutableArray().SequenceEqual(segments, StringComparer.Ordinal))
                .Label(string.Join("; ", result.Errors));
        });
    }

    [Property(MaxTest = 300)]
    public Property WriteThenReadInChunks_HostileKeys_GivesTheSameLogAndKeys()
    {
        return Prop.ForAll(CsvRoundTripGenerators.CaseArbitrary(), c =>
        {
            var (log, entities, segments) = c.Build();
            var options = new TransitionLogCsvOptions { Delimiter = c.Delimiter, ChunkRows = c.ChunkRows };
            var text = new StringWriter();
            TransitionLogCsvWriter.Write(text, log, Aida, entities, segments, options);

            var reader = new TransitionLogCsvReader(new StringReader(text.ToString()), Aida, options);
            var chunks = new List<TransitionLogCsvResult>();
            while (reader.ReadChunk(options.ChunkRows) is { } chunk)
            {
                chunks.Add(chunk);
            }

            var rows = chunks.SelectMany(ch => TransitionLogCsvWriterTests.Rows(ch.Log)).ToArray();
            return (chunks.All(ch => ch.IsClean && ch.RowsRead <= c.ChunkRows && ch.Log.HasSegments == log.HasSegments)
                    && chunks.Sum(ch => ch.RowsRead) == log.Count
                    && rows.SequenceEqual(TransitionLogCsvWriterTests.Rows(log))
                    && reader.Entities.ToImmutableArray().SequenceEqual(entities, StringComparer.Ordinal)
                    && reader.Segments.ToImmutableArray().SequenceEqual(segments, StringComparer.Ordinal))
                .Label(string.Join("; ", chunks.SelectMany(ch => ch.Errors)));
        });
    }

    [Property(MaxTest = 300)]
    public Property WriteThenRead_WithCrlfRowEnds_GivesTheSameLog()
    {
        // The writer ends rows with LF; a tool that rewrites row ends as CRLF must not change the log. Keys here
        // hold no line break, so every LF is a row end.
        return Prop.ForAll(CsvRoundTripGenerators.CaseArbitrary(), c =>
        {
            var pool = c.EntityPool.Select(k => k.Replace("\r", "r", StringComparison.Ordinal).Replace("\n", "n", StringComparison.Ordinal)).ToArray();
            var segmentPool = c.SegmentPool.Select(k => k.Replace("\r", "r", StringComparison.Ordinal).Replace("\n", "n", StringComparison.Ordinal)).ToArray();
            var flat = c with { EntityPool = pool.Distinct(StringComparer.Ordinal).Count() == pool.Length ? pool : [.. pool.Select((k, i) => k + i)], SegmentPool = [.. segmentPool.Distinct(StringComparer.Ordinal)] };
            flat = flat with { Rows = [.. flat.Rows.Select(r => r with { Segment = Math.Min(r.Segment, flat.SegmentPool.Length - 1) })] };
            var (log, entities, segments) = flat.Build();
            var options = new TransitionLogCsvOptions { Delimiter = c.Delimiter };
            var text = new StringWriter();
            TransitionLogCsvWriter.Write(text, log, Aida, entities, segments, options);
            var crlf = "\uFEFF" + text.ToString().Replace("\n", "\r\n", StringComparison.Ordinal);

            var reader = new TransitionLogCsvReader(new StringReader(crlf), Aida, options);
            var result = reader.ReadChunk(int.MaxValue)!;

            return (result.IsClean
                    && TransitionLogCsvWriterTests.Rows(result.Log).SequenceEqual(TransitionLogCsvWriterTests.Rows(log))
                    && reader.Entities.ToImmutableArray().SequenceEqual(entities, StringComparer.Ordinal))
                .Label(string.Join("; ", result.Errors));
        });
    }
}
