using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;

namespace Funnel.Core.Bulk;

/// <summary>
/// The file fast path behind <see cref="TransitionLogCsvReader.ReadFile(string, FunnelDefinition, TransitionLogCsvOptions)"/>: the header through the streaming
/// reader's own code, then the data rows as UTF-8 bytes in parallel chunks (<see cref="CsvChunkParser"/>), merged so
/// that the result equals the streaming reader's on the same file — the same log, keys, ids and errors.
/// </summary>
/// <remarks>
/// <para>Chunks start at guesses: the first line feed after each 1/n of the data. A guess can be wrong (the line
/// feed was inside a quoted field), so no chunk trusts its start: chunk k hands over to a later chunk only when it
/// starts a row exactly where that chunk started; a chunk nobody hands over to is dropped, and the chunk before it
/// reads on. The first chunk starts after the header, a true row start, so the chain of hand-overs parses every row
/// exactly as one pass from the header would.</para>
/// <para>Ids: each chunk interns its keys in its own table in order of first appearance; the tables are merged in
/// file order, so a key's global id is its rank by first appearance in the file, as the streaming reader gives it.</para>
/// </remarks>
internal static class CsvFileIngest
{
    private const int HeaderSearchBytes = 1 << 20;
    private const int DefaultBufferBytes = 1 << 20;
    private const long ParallelFromBytes = 1 << 20;

    /// <summary>Reads the file; <paramref name="chunkBytes"/> and <paramref name="bufferBytes"/> force small chunks and buffers in tests.</summary>
    public static TransitionLogCsvResult Read(
        string path, FunnelDefinition definition, TransitionLogCsvOptions? options, long? chunkBytes = null, int? bufferBytes = null, IProgress<long>? bytesRead = null)
    {
        options ??= TransitionLogCsvOptions.Default;
        _ = new TransitionLogCsvReader(TextReader.Null, definition, options); // the same argument checks and exceptions
        var result = TryRead(path, definition, options, chunkBytes, bufferBytes ?? DefaultBufferBytes, bytesRead);
        if (result is null)
        {
            using var text = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            result = TransitionLogCsvReader.Read(text, definition, options);
        }

        bytesRead?.Report(new FileInfo(path).Length);
        return result;
    }

    /// <summary>Reads with the byte parser, or returns <see langword="null"/> when the streaming reader must read the file.</summary>
    private static TransitionLogCsvResult? TryRead(string path, FunnelDefinition definition, TransitionLogCsvOptions options, long? chunkBytes, int bufferBytes, IProgress<long>? bytesRead)
    {
        if (options.Delimiter > 0x7F)
        {
            return null;
        }

        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(file);
        var prefix = new byte[(int)Math.Min(length, HeaderSearchBytes)];
        prefix = prefix[..RandomAccess.Read(file, prefix, 0)];
        if (prefix.AsSpan().StartsWith<byte>([0xFE, 0xFF]) || prefix.AsSpan().StartsWith<byte>([0xFF, 0xFE]) || prefix.AsSpan().StartsWith<byte>([0, 0, 0xFE, 0xFF]))
        {
            return null; // StreamReader would read UTF-16 or UTF-32
        }

        var textStart = prefix.AsSpan().StartsWith<byte>([0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var headerEnd = FindRowEnd(prefix, textStart, (byte)options.Delimiter, atEnd: prefix.Length == length);
        if (headerEnd < 0 || !Utf8.IsValid(prefix.AsSpan(textStart, headerEnd - textStart)))
        {
            return null;
        }

        var fields = new CsvFieldParser(definition, options);
        var headerText = Encoding.UTF8.GetString(prefix, textStart, headerEnd - textStart);
        var header = new TransitionLogCsvReader(new StringReader(headerText), definition, options).ReadHeaderOnly();
        var layout = new CsvFileLayout(header, options, fields);

        var boundaries = Boundaries(file, headerEnd, length, chunkBytes);
        var starts = new long[boundaries.Length + 2];
        starts[0] = headerEnd;
        boundaries.CopyTo(starts, 1);
        starts[^1] = length;

        // Each chunk writes its rows straight into the log's columns, from the rows the chunks before it can hold
        // at most: one per line end in their byte ranges (a row of a chunk ends in its range, but for the last row
        // of the file). A chunk that reads on past its range (its successor started inside a quoted field) spills.
        var regions = new long[starts.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, starts.Length - 1, parallel, i => regions[i + 1] = CountLineEnds(file, starts[i], starts[i + 1], bufferBytes));
        regions[^1]++; // the last row may end without a line break
        for (var i = 1; i < regions.Length; i++)
        {
            regions[i] += regions[i - 1];
        }

        if (regions[^1] > Array.MaxLength)
        {
            throw new InvalidOperationException($"A transition log holds at most {Array.MaxLength} events; the file has {regions[^1] - 1} lines.");
        }

        var columns = new LogColumns((int)regions[^1], layout.Header.Segment >= 0);
        var chunks = new CsvChunkParser[boundaries.Length + 1];
        var progress = bytesRead is null ? null : new CsvReadProgress(bytesRead, length);
        progress?.Add(headerEnd);
        for (var i = 0; i < chunks.Length; i++)
        {
            chunks[i] = new CsvChunkParser(layout, file, length, starts[i], boundaries, bufferBytes, columns, (int)regions[i], (int)(regions[i + 1] - regions[i]))
            {
                Progress = progress,
            };
        }

        if (chunks.Length == 1)
        {
            chunks[0].Run();
        }
        else
        {
            Parallel.For(0, chunks.Length, parallel, i => chunks[i].Run());
        }

        var chain = new List<CsvChunkParser>();
        for (var chunk = chunks[0]; ; chunk = chunks[chunk.HandedOverTo + 1])
        {
            if (chunk.NeedsStreamingReader)
            {
                return null;
            }

            chain.Add(chunk);
            if (chunk.HandedOverTo < 0)
            {
                break;
            }
        }

        return Merge(chain, layout, columns);
    }

    /// <summary>The line ends (LF, CR LF, or a CR alone) in the bytes <paramref name="from"/>..<paramref name="to"/>: at least the rows that end there.</summary>
    private static long CountLineEnds(SafeFileHandle file, long from, long to, int bufferBytes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferBytes, 1 << 16));
        try
        {
            long count = 0;
            for (var at = from; at < to;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, to - at)), at);
                if (read == 0)
                {
                    break;
                }

                var bytes = buffer.AsSpan(0, read);
                count += bytes.Count((byte)'\n');
                var crs = bytes.Count((byte)'\r');
                if (crs > 0)
                {
                    // A CR LF is one line end; one split between two reads is counted twice, which only leaves a spare row.
                    count += crs - bytes.Count("\r\n"u8);
                }

                at += read;
            }

            return count;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The end of the row that starts at <paramref name="start"/> (after its line break), or -1 when the bytes end inside it.</summary>
    private static int FindRowEnd(ReadOnlySpan<byte> text, int start, byte delimiter, bool atEnd)
    {
        var quoted = false;
        var fieldStart = true;
        for (var p = start; p < text.Length; p++)
        {
            var c = text[p];
            if (quoted)
            {
                if (c == '"')
                {
                    if (p + 1 == text.Length && !atEnd)
                    {
                        return -1;
                    }

                    if (p + 1 < text.Length && text[p + 1] == '"')
                    {
                        p++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }

                continue;
            }

            if (c == '"' && fieldStart)
            {
                quoted = true;
                fieldStart = false;
                continue;
            }

            fieldStart = c == delimiter;
            if (c == '\r')
            {
                return p + 1 < text.Length ? (text[p + 1] == '\n' ? p + 2 : p + 1) : (atEnd ? p + 1 : -1);
            }

            if (c == '\n')
            {
                return p + 1;
            }
        }

        return atEnd && !quoted ? text.Length : -1;
    }

    /// <summary>Guessed chunk starts: the position after the first line feed at or after each cut.</summary>
    private static long[] Boundaries(SafeFileHandle file, long dataStart, long length, long? chunkBytes)
    {
        var data = length - dataStart;
        long step;
        if (chunkBytes is { } forced)
        {
            step = Math.Max(1, forced);
        }
        else if (data < ParallelFromBytes || Environment.ProcessorCount == 1)
        {
            return [];
        }
        else
        {
            step = (data + Environment.ProcessorCount - 1) / Environment.ProcessorCount;
        }

        var boundaries = new List<long>();
        var window = new byte[1 << 16];
        for (var cut = dataStart + step; cut < length; cut += step)
        {
            var from = Math.Max(cut, boundaries.Count > 0 ? boundaries[^1] : dataStart + 1);
            while (from < length)
            {
                var read = RandomAccess.Read(file, window, from);
                if (read == 0)
                {
                    break;
                }

                var lf = window.AsSpan(0, read).IndexOf((byte)'\n');
                if (lf >= 0)
                {
                    var boundary = from + lf + 1;
                    if (boundary < length && (boundaries.Count == 0 || boundary > boundaries[^1]))
                    {
                        boundaries.Add(boundary);
                    }

                    break;
                }

                from += read;
            }
        }

        return [.. boundaries];
    }

    private static TransitionLogCsvResult Merge(List<CsvChunkParser> chain, CsvFileLayout layout, LogColumns columns)
    {
        var (entityMaps, entityKeys) = MergeKeys(chain, c => c.EntityKeys);
        var (segmentMaps, segmentKeys) = MergeKeys(chain, c => c.SegmentKeys);

        var total = 0L;
        var rows = 0L;
        foreach (var chunk in chain)
        {
            total += chunk.Count;
            rows += chunk.RowsRead;
        }

        if (total > Array.MaxLength)
        {
            throw new InvalidOperationException($"A transition log holds at most {Array.MaxLength} events; the file has {total} valid rows.");
        }

        // File ids in place, chunk by chunk in parallel; then the rows are closed up in file order where a chunk's
        // rows do not start where the rows before it end (rejected rows, line breaks in quotes, spilled rows).
        Parallel.For(0, chain.Count, i =>
        {
            var chunk = chain[i];
            Remap(columns.Entities.AsSpan(chunk.RegionStart, chunk.InRegion), entityMaps[i]);
            if (columns.Segments is not null)
            {
                Remap(columns.Segments.AsSpan(chunk.RegionStart, chunk.InRegion), segmentMaps[i]);
            }

            if (chunk.Spill is { } spill)
            {
                Remap(spill.Entities.AsSpan(0, chunk.SpillCount), entityMaps[i]);
                if (spill.Segments is not null)
                {
                    Remap(spill.Segments.AsSpan(0, chunk.SpillCount), segmentMaps[i]);
                }
            }
        });

        var at = 0;
        var ordered = true;
        var maxStage = -1;
        var maxReason = -1;
        long? lastTime = null;
        foreach (var chunk in chain)
        {
            if (chunk.RegionStart != at)
            {
                columns.CopyFrom(columns, chunk.RegionStart, at, chunk.InRegion);
            }

            at += chunk.InRegion;
            if (chunk.Spill is { } spill)
            {
                columns.CopyFrom(spill, 0, at, chunk.SpillCount);
                at += chunk.SpillCount;
            }

            if (chunk.Count > 0)
            {
                ordered &= chunk.TimeOrdered && (lastTime is null || chunk.FirstTime >= lastTime);
                lastTime = chunk.LastTime;
                maxStage = Math.Max(maxStage, chunk.MaxStage);
                maxReason = Math.Max(maxReason, chunk.MaxReason);
            }
        }

        var errors = ImmutableArray.CreateBuilder<CsvRowError>();
        var line = layout.Header.DataLine;
        var names = layout.Header.Names;
        foreach (var chunk in chain)
        {
            foreach (var (relative, field, fault) in chunk.Errors)
            {
                errors.Add(field < 0
                    ? new CsvRowError(line + relative, null, null, fault.Kind, fault.Reason, fault.Value)
                    : new CsvRowError(line + relative, field + 1, field < names.Length ? names[field] : null, fault.Kind, fault.Reason, fault.Value));
            }

            line += chunk.Lines;
        }

        // Every row was checked as it was parsed, and every key interned belongs to a kept row: the log's limits are known.
        var log = TransitionLog.WrapChecked(columns.Entities, columns.Stages, columns.Times, columns.Reasons, columns.Segments, (int)total, entityKeys.Count, maxStage + 1, maxReason + 1, ordered);
        // The keys stay UTF-8 until somebody asks for them as strings, copied in id order into one arena each (the
        // chunks' tables, their lookups and the list of later keys die here): 4 bytes a key plus its text, instead of
        // a string of 30-50 bytes a key and the chunks' tables.
        foreach (var chunk in chain)
        {
            chunk.EntityKeys.DropLookup();
            chunk.SegmentKeys.DropLookup();
        }

        var entityArena = entityKeys.ToArena();
        var segmentArena = segmentKeys.ToArena();
        return new TransitionLogCsvResult(
            log,
            errors.ToImmutable(),
            rows,
            new EntityInterner<string>(entityArena.Count, entityArena.ToStrings, entityArena.GetString, StringComparer.Ordinal),
            new EntityInterner<string>(segmentArena.Count, segmentArena.ToStrings, segmentArena.GetString, StringComparer.Ordinal))
        {
            SegmentColumn = layout.Header.Segment >= 0 ? names[layout.Header.Segment] : null,
        };
    }

    /// <summary>
    /// Gives every key its id in the file: the first chunk's ids stay; a key of a later chunk takes the id it has in
    /// an earlier chunk, or, when it is new, the next id, in the chunk's order of first appearance. Only lookups (in
    /// parallel, in batches whose cache misses overlap) and one pass to number the new keys: no table is rebuilt.
    /// </summary>
    /// <returns>Per chunk the map from local to file ids (null for the first chunk), and the keys in id order.</returns>
    private static (int[]?[] Maps, MergedKeys Keys) MergeKeys(List<CsvChunkParser> chain, Func<CsvChunkParser, Utf8KeyTable> keysOf)
    {
        var maps = new int[]?[chain.Count];
        var keys = new MergedKeys(keysOf(chain[0]));
        var next = keysOf(chain[0]).Count;
        for (var i = 1; i < chain.Count; i++)
        {
            var local = keysOf(chain[i]);
            var map = new int[local.Count];
            map.AsSpan().Fill(-1);
            for (var j = 0; j < i; j++)
            {
                var earlier = keysOf(chain[j]);
                var earlierMap = maps[j];
                const int Block = 1 << 14;
                Parallel.For(0, (local.Count + Block - 1) / Block, b =>
                {
                    const int Batch = 32;
                    Span<ulong> a = stackalloc ulong[Batch];
                    Span<ulong> w = stackalloc ulong[Batch];
                    Span<uint> h = stackalloc uint[Batch];
                    Span<int> direct = stackalloc int[Batch];
                    var end = Math.Min(local.Count, (b + 1) * Block);
                    for (var first = b * Block; first < end; first += Batch)
                    {
                        var count = Math.Min(Batch, end - first);
                        var touched = 0;
                        for (var k = 0; k < count; k++)
                        {
                            var key = local.Key(first + k);
                            if (earlier.IsDirect(key, out direct[k]))
                            {
                                continue;
                            }

                            direct[k] = -1;
                            h[k] = Utf8KeyTable.Prepare(key, out a[k], out w[k]);
                            touched |= earlier.Touch(h[k]);
                        }

                        for (var k = 0; k < count; k++)
                        {
                            if (map[first + k] >= 0)
                            {
                                continue;
                            }

                            var id = direct[k] >= 0
                                ? earlier.FindDirect(direct[k])
                                : earlier.Find(local.Key(first + k), a[k], w[k], h[k]) | (touched & 0);
                            if (id >= 0)
                            {
                                map[first + k] = earlierMap is null ? id : earlierMap[id];
                            }
                        }
                    }
                });
            }

            var start = next;
            for (var id = 0; id < map.Length; id++)
            {
                if (map[id] < 0)
                {
                    map[id] = next++;
                }
            }

            keys.Add(local, map, start, next);
            maps[i] = map;
        }

        return (maps, keys);
    }

    /// <summary>
    /// The keys of a file in id order, as UTF-8 in the chunks' arenas: the first chunk's keys, then each later chunk's
    /// new keys (those its map numbers from where the earlier chunks ended, in its order), read from the maps the merge
    /// makes anyway instead of a list of 16 bytes a key.
    /// </summary>
    private sealed class MergedKeys(Utf8KeyTable first)
    {
        private readonly List<(Utf8KeyTable Table, int[] Map, int Start)> _later = [];

        public int Count { get; private set; } = first.Count;

        /// <summary>Adds a later chunk whose new keys have the file ids [<paramref name="start"/>, <paramref name="end"/>).</summary>
        public void Add(Utf8KeyTable table, int[] map, int start, int end)
        {
            _later.Add((table, map, start));
            Count = end;
        }

        /// <summary>Copies the keys, in id order, into one arena.</summary>
        public Utf8KeyArena ToArena()
        {
            long bytes = first.ArenaLength;
            foreach (var (table, map, start) in _later)
            {
                for (var id = 0; id < map.Length; id++)
                {
                    if (map[id] >= start)
                    {
                        bytes += table.Key(id).Length;
                    }
                }
            }

            var arena = new Utf8KeyArena(Count, bytes);
            arena.AppendAll(first);
            foreach (var (table, map, start) in _later)
            {
                for (var id = 0; id < map.Length; id++)
                {
                    if (map[id] >= start)
                    {
                        arena.Append(table.Key(id));
                    }
                }
            }

            return arena;
        }
    }

    private static void Remap(Span<int> ids, int[]? map)
    {
        if (map is null)
        {
            return;
        }

        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            ids[i] = id < 0 ? id : map[id];
        }
    }
}
