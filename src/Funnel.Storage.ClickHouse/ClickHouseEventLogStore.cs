using System.Collections.Immutable;
using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Storage;
using Funnel.Storage.Internal;

namespace Funnel.Storage.ClickHouse;

/// <summary>
/// An <see cref="EventLogStore"/> in ClickHouse, on one server or sharded over a cluster: events are appended in
/// RowBinary batches, read back in chunks, and every bulk metric is computed on the servers with the bulk engine's
/// exact semantics (docs/bulk.md rules 1–8 and 13: per-step windows, the first, latest and best anchors and either
/// median; the other funnel modes are refused by name, see <see cref="SupportedPushDownOptions"/>).
/// </summary>
/// <remarks>
/// <para><b>Tables.</b> <c>funnel_events</c> holds the rows (funnel key, entity id, stage, time, reason or −1,
/// segment, append id, position in the append); <c>funnel_appends</c> holds one row per committed append and per
/// deletion. On a cluster both are Distributed tables over <c>funnel_events_local</c> and
/// <c>funnel_appends_local</c> (MergeTree) on every node, the events sharded by <c>cityHash64(entity_id)</c>
/// (<c>intHash64</c> for <see cref="ClickHouseEntityKeyType.Numeric"/> keys), so each lead lives on one shard.</para>
/// <para><b>No partial append is ever visible.</b> ClickHouse has no transactions, and an insert that fails on one
/// shard may already be written on another. So an append writes its rows under a new append id (batch by batch,
/// with <c>insert_distributed_sync = 1</c> on a cluster: each insert returns once every shard has its rows) and,
/// only when every batch succeeded, one commit row in <c>funnel_appends</c>. Every read, count and push-down reads
/// the rows of committed appends only. A failed append (a bad row, a server or shard down, a cancellation) leaves
/// rows that nothing reads; retrying the whole append is safe — it gets a new id. Appends are ordered by their id:
/// the appending machine's clock in 100 ns ticks, strictly increasing within a process. <see cref="EventLogStore.DeleteAsync"/>
/// writes a deletion row: appends committed before it are no longer read (their rows stay on disk until removed
/// with <c>ALTER TABLE ... DELETE</c>).</para>
/// <para><b>One snapshot.</b> The push-down's two queries read the same list of committed appends, fixed before they
/// run, so they see the same rows even while other appends commit.</para>
/// <para>Thread-safe: the HTTP client is shared and every call is independent.</para>
/// </remarks>
public sealed class ClickHouseEventLogStore : EventLogStore
{
    private static long s_lastAppendId;

    private readonly ClickHouseClient _client;
    private readonly string _server;
    private readonly string? _cluster;
    private readonly string[] _nodes;
    private readonly ClickHouseEntityKeyType _keyType;
    private readonly int _batchSize;

    /// <summary>Creates a store over one server.</summary>
    /// <param name="connectionString">A ClickHouse.Driver connection string (HTTP).</param>
    /// <param name="timeProvider">The clock that numbers appends; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is blank or malformed.</exception>
    public ClickHouseEventLogStore(string connectionString, TimeProvider? timeProvider = null)
        : this(new ClickHouseEventLogOptions { ConnectionString = connectionString }, timeProvider)
    {
    }

    /// <summary>Creates a store with the given options.</summary>
    /// <param name="options">The server, the cluster and its nodes, the key type and the batch size.</param>
    /// <param name="timeProvider">The clock that numbers appends; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A connection string is blank or malformed, the cluster name is blank or not a plain identifier, or a cluster has no node connection strings.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is out of range.</exception>
    public ClickHouseEventLogStore(ClickHouseEventLogOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.BatchSize, 100_000_000);
        if (options.Cluster is not null)
        {
            if (options.Cluster.Length == 0 || !options.Cluster.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new ArgumentException($"The cluster name '{options.Cluster}' is not a plain identifier (letters, digits, '_').", nameof(options));
            }

            if (options.NodeConnectionStrings.Count == 0)
            {
                throw new ArgumentException($"Cluster '{options.Cluster}' needs the connection string of every node (NodeConnectionStrings) to create its tables.", nameof(options));
            }
        }

        _nodes = [.. options.NodeConnectionStrings];
        foreach (var node in _nodes)
        {
            _ = Settings(node);
        }

        var settings = Settings(options.ConnectionString);
        _server = Describe(settings);
        _client = new ClickHouseClient(settings);
        _cluster = options.Cluster;
        _keyType = options.KeyType;
        _batchSize = options.BatchSize;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the clock that numbers appends.</summary>
    public TimeProvider TimeProvider { get; }

    private const string EventsTable = "funnel_events";

    private const string AppendsTable = "funnel_appends";

    /// <inheritdoc />
    /// <remarks>Returns schema version 1. Creates the tables when missing (on every node, for a cluster) and checks
    /// that existing ones have the columns this version writes and reads.</remarks>
    protected override async Task<int> EnsureCreatedCoreAsync(CancellationToken cancellationToken)
    {
        var key = _keyType == ClickHouseEntityKeyType.Numeric ? "Int64" : "String";
        var hash = _keyType == ClickHouseEntityKeyType.Numeric ? "intHash64(entity_id)" : "cityHash64(entity_id)";
        var events = "(funnel_key String, entity_id " + key + ", stage Int32, at Int64, reason Int32, segment Nullable(String), append_id UInt64, pos UInt64) " +
            "ENGINE = MergeTree() ORDER BY (funnel_key, entity_id, at)";
        const string appends = "(funnel_key String, append_id UInt64, kind Int8, rows UInt64) ENGINE = MergeTree() ORDER BY (funnel_key, append_id)";
        if (_cluster is null)
        {
            await ExecuteAsync(_client, _server, "CREATE TABLE IF NOT EXISTS funnel_events " + events, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(_client, _server, "CREATE TABLE IF NOT EXISTS funnel_appends " + appends, cancellationToken).ConfigureAwait(false);
            await CheckColumnsAsync(_client, _server, "funnel_events", key, cancellationToken).ConfigureAwait(false);
            return 1;
        }

        foreach (var node in _nodes)
        {
            var settings = Settings(node);
            var server = Describe(settings);
            using var client = new ClickHouseClient(settings);
            var clusters = await QueryTextAsync(client, server, "SELECT DISTINCT cluster FROM system.clusters FORMAT TabSeparated", null, cancellationToken).ConfigureAwait(false);
            var names = clusters.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (!names.Contains(_cluster, StringComparer.Ordinal))
            {
                throw new FunnelStorageException(
                    $"Cluster '{_cluster}' is not defined on ClickHouse server {server} (its remote_servers define: {(names.Length == 0 ? "none" : string.Join(", ", names))}).");
            }

            var database = (await QueryTextAsync(client, server, "SELECT currentDatabase() FORMAT TabSeparated", null, cancellationToken).ConfigureAwait(false)).Trim();
            var quotedDatabase = "`" + database.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "`";
            await ExecuteAsync(client, server, "CREATE TABLE IF NOT EXISTS funnel_events_local " + events, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(client, server, "CREATE TABLE IF NOT EXISTS funnel_appends_local " + appends, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(client, server, "CREATE TABLE IF NOT EXISTS funnel_events AS funnel_events_local ENGINE = Distributed(" + _cluster + ", " + quotedDatabase + ", funnel_events_local, " + hash + ")", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(client, server, "CREATE TABLE IF NOT EXISTS funnel_appends AS funnel_appends_local ENGINE = Distributed(" + _cluster + ", " + quotedDatabase + ", funnel_appends_local, cityHash64(funnel_key))", cancellationToken).ConfigureAwait(false);
            await CheckColumnsAsync(client, server, "funnel_events_local", key, cancellationToken).ConfigureAwait(false);
            await CheckColumnsAsync(client, server, "funnel_events", key, cancellationToken).ConfigureAwait(false);
        }

        return 1;
    }

    /// <inheritdoc />
    protected override async Task<long> AppendCoreAsync(FunnelDefinition definition, EventRowReader rows, CancellationToken cancellationToken)
    {
        var appendId = NextAppendId();
        using var writer = new RowBinaryWriter();
        long count = 0;
        var inBatch = 0;
        string[] columns = ["funnel_key", "entity_id", "stage", "at", "reason", "segment", "append_id", "pos"];
        while (rows.Read())
        {
            writer.WriteString(definition.Key);
            if (_keyType == ClickHouseEntityKeyType.Numeric)
            {
                writer.WriteInt64(ParseKey(rows.EntityId, rows.Index));
            }
            else
            {
                writer.WriteString(rows.EntityId);
            }

            writer.WriteInt32(rows.Stage);
            writer.WriteInt64(rows.Timestamp);
            writer.WriteInt32(rows.LossReason);
            writer.WriteNullableString(rows.Segment);
            writer.WriteUInt64((ulong)appendId);
            writer.WriteUInt64((ulong)count);
            count++;
            if (++inBatch == _batchSize)
            {
                await InsertAsync(EventsTable, columns, writer.TakeBatch(), cancellationToken).ConfigureAwait(false);
                inBatch = 0;
            }
        }

        if (inBatch > 0)
        {
            await InsertAsync(EventsTable, columns, writer.TakeBatch(), cancellationToken).ConfigureAwait(false);
        }

        if (count > 0)
        {
            // The commit: only now do reads see the append's rows.
            using var commit = new RowBinaryWriter();
            commit.WriteString(definition.Key);
            commit.WriteUInt64((ulong)appendId);
            commit.WriteByte(1);
            commit.WriteUInt64((ulong)count);
            await InsertAsync(AppendsTable, ["funnel_key", "append_id", "kind", "rows"], commit.TakeBatch(), cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<EventLogChunk> ReadCoreAsync(FunnelDefinition definition, int chunkSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = await VisibleAsync(definition.Key, cancellationToken).ConfigureAwait(false);
        if (filter is null)
        {
            yield break;
        }

        var sql = "SELECT entity_id, stage, at, reason, segment FROM " + EventsTable + " WHERE " + filter + " ORDER BY append_id, pos FORMAT RowBinary";
        using var result = await RunAsync(sql, DistributedOptions(false), cancellationToken).ConfigureAwait(false);
        var stream = await result.ReadAsStreamAsync().ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var reader = new RowBinaryReader(stream);
            var buffer = new EventChunkBuffer(definition, chunkSize, $" in table {EventsTable} on ClickHouse server {_server}");
            while (await HasMoreAsync(reader, cancellationToken).ConfigureAwait(false))
            {
                var id = _keyType == ClickHouseEntityKeyType.Numeric
                    ? (await reader.ReadInt64Async(cancellationToken).ConfigureAwait(false)).ToString(CultureInfo.InvariantCulture)
                    : await reader.ReadStringAsync(cancellationToken).ConfigureAwait(false);
                var stage = await reader.ReadInt32Async(cancellationToken).ConfigureAwait(false);
                var at = await reader.ReadInt64Async(cancellationToken).ConfigureAwait(false);
                var reason = await reader.ReadInt32Async(cancellationToken).ConfigureAwait(false);
                buffer.Add(id, stage, at, reason, await reader.ReadNullableStringAsync(cancellationToken).ConfigureAwait(false));
                if (buffer.IsFull)
                {
                    yield return buffer.Take()!;
                }
            }

            if (buffer.Take() is { } last)
            {
                yield return last;
            }
        }
    }

    /// <inheritdoc />
    protected override async Task<long> CountCoreAsync(string funnelKey, CancellationToken cancellationToken)
    {
        var filter = await VisibleAsync(funnelKey, cancellationToken).ConfigureAwait(false);
        return filter is null ? 0 : await CountAsync(filter, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Writes a deletion row: the appends committed so far are no longer read (see the class remarks).</remarks>
    protected override async Task<long> DeleteCoreAsync(string funnelKey, CancellationToken cancellationToken)
    {
        var filter = await VisibleAsync(funnelKey, cancellationToken).ConfigureAwait(false);
        if (filter is null)
        {
            return 0;
        }

        var count = await CountAsync(filter, cancellationToken).ConfigureAwait(false);
        using var writer = new RowBinaryWriter();
        writer.WriteString(funnelKey);
        writer.WriteUInt64((ulong)NextAppendId());
        writer.WriteByte(2);
        writer.WriteUInt64((ulong)count);
        await InsertAsync(AppendsTable, ["funnel_key", "append_id", "kind", "rows"], writer.TakeBatch(), cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <inheritdoc />
    /// <remarks>Per-step windows, the latest and best anchors (docs/bulk.md rules 7 and 8) and the interpolated median
    /// (rule 13), alone or together; strict and unordered steps, exclusions, optional steps and time to convert are
    /// refused by <see cref="EventLogStore.ComputeAggregatesAsync(FunnelDefinition, TransitionAnalyzer, CancellationToken)"/>, naming the option.</remarks>
    public override PushDownOptions SupportedPushDownOptions =>
        PushDownOptions.StepWindows | PushDownOptions.LatestAnchor | PushDownOptions.BestAnchor | PushDownOptions.InterpolatedMedian;

    /// <inheritdoc />
    protected override async Task<TransitionReport> ComputeAggregatesCoreAsync(FunnelDefinition definition, TransitionAnalyzer analyzer, CancellationToken cancellationToken)
    {
        var windowSeconds = analyzer.WindowSeconds;
        var result = new PushDownResult(definition) { UpperMedians = new long[definition.Stages.Length + 1] };
        var k = result.StageCount;
        var r = result.ReasonCount;
        var size = result.Size;
        long entities = 0, pairs = 0;
        var filter = await VisibleAsync(definition.Key, cancellationToken).ConfigureAwait(false);
        if (filter is not null)
        {
            var levels = new long[k + 1];
            var funnel = new WindowFunnel(windowSeconds, analyzer.StepWindowSeconds, analyzer.Anchor);
            foreach (var row in await QueryNumbersAsync(ClickHouseSql.Funnel(EventsTable, filter, k, r, funnel), cancellationToken).ConfigureAwait(false))
            {
                var tag = (int)(row[0] >> ClickHouseSql.TagShift);
                var code = row[0] & ((1L << ClickHouseSql.TagShift) - 1);
                var n = row[1];
                switch (tag)
                {
                    case ClickHouseSql.TransitionTag:
                        result.Transitions[Check(code, size * size, definition, "transition")] = n;
                        pairs += n;
                        break;
                    case ClickHouseSql.LossTag:
                        var previous = code / Math.Max(r, 1);
                        var reason = Check(code % Math.Max(r, 1), r, definition, "loss reason");
                        if (previous == size)
                        {
                            result.LossesAtUnknownStage[reason] = n;
                        }
                        else if (previous == k)
                        {
                            result.LossesAfterLoss[reason] = n;
                        }
                        else
                        {
                            result.Losses[(Check(previous, k, definition, "stage") * r) + reason] = n;
                        }

                        break;
                    case ClickHouseSql.LevelTag:
                        levels[Check(code, k + 1, definition, "level")] = n;
                        break;
                    case ClickHouseSql.OutcomeTag:
                        var last = Check(code, size, definition, "stage");
                        entities += n;
                        if (last == k)
                        {
                            result.Lost += n;
                        }
                        else if (last >= definition.GoalStage.Order)
                        {
                            result.Won += n;
                        }
                        else
                        {
                            result.OpenAt[last] = n;
                        }

                        break;
                    default:
                        throw new FunnelStorageException($"The push-down over table {EventsTable} on ClickHouse server {_server} returned an unknown code {row[0]}.");
                }
            }

            for (var s = k - 1; s >= 0; s--)
            {
                result.Reached[s] = levels[s + 1] + (s + 1 < k ? result.Reached[s + 1] : 0);
            }

            foreach (var row in await QueryNumbersAsync(ClickHouseSql.Stays(EventsTable, filter, k), cancellationToken).ConfigureAwait(false))
            {
                var stay = Check(row[0], size, definition, "stage");
                result.Counts[stay] = row[1];
                result.Totals[stay] = ((Int128)row[2] << 32) + row[3];
                result.Medians[stay] = row[4];
                result.UpperMedians[stay] = row[5];
            }
        }

        result.Entities = entities;
        result.Events = pairs + entities;
        return result.ToReport(windowSeconds, $" in table {EventsTable} on ClickHouse server {_server}");
    }

    /// <inheritdoc />
    protected override ValueTask DisposeAsyncCore()
    {
        _client.Dispose();
        return base.DisposeAsyncCore();
    }

    private static ClickHouseClientSettings Settings(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ClickHouseClientSettings settings;
        try
        {
            settings = new ClickHouseClientSettings(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new ArgumentException($"The ClickHouse connection string is malformed: {e.Message}", nameof(connectionString), e);
        }

        // What ClickHouse.Driver 1.5.0 needs to talk to servers from 18.16 on (newer servers accept it too).
        return new ClickHouseClientSettings(settings) { UseCompression = false, JsonReadMode = JsonReadMode.None, JsonWriteMode = JsonWriteMode.None };
    }

    private static string Describe(ClickHouseClientSettings settings) =>
        $"{settings.Protocol}://{settings.Host}:{settings.Port.ToString(CultureInfo.InvariantCulture)} (database '{(string.IsNullOrEmpty(settings.Database) ? "default" : settings.Database)}')";

    private static int Check(long value, int count, FunnelDefinition definition, string what)
    {
        if (value < 0 || value >= count)
        {
            throw new FunnelStorageException($"The event log of funnel '{definition.Key}' holds {what} ordinal {value}, outside the definition (0 to {count - 1}).");
        }

        return (int)value;
    }

    private long ParseKey(string key, long index)
    {
        if (long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && string.Equals(value.ToString(CultureInfo.InvariantCulture), key, StringComparison.Ordinal))
        {
            return value;
        }

        throw new FunnelStorageException(
            $"Event {index.ToString(CultureInfo.InvariantCulture)} has entity '{key}', which does not fit column entity_id (Int64) of table {EventsTable} on ClickHouse server {_server}: " +
            "the key must be a 64-bit integer in canonical decimal, or the store must use ClickHouseEntityKeyType.Text. Nothing of this append was stored.");
    }

    private long NextAppendId()
    {
        var now = TimeProvider.GetUtcNow().UtcTicks;
        while (true)
        {
            var last = Interlocked.Read(ref s_lastAppendId);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref s_lastAppendId, next, last) == last)
            {
                return next;
            }
        }
    }

    private QueryOptions? DistributedOptions(bool noMerge)
    {
        var options = new QueryOptions { CustomSettings = new Dictionary<string, object> { ["max_query_size"] = 16_777_216 } };
        if (_cluster is not null)
        {
            options.CustomSettings["insert_distributed_sync"] = 1;
            if (noMerge)
            {
                options.CustomSettings["distributed_group_by_no_merge"] = 1;
            }
        }

        return options;
    }

    /// <summary>The filter of the committed, not deleted appends of a funnel; <see langword="null"/> when there are none.</summary>
    private async Task<string?> VisibleAsync(string funnelKey, CancellationToken cancellationToken)
    {
        var text = await QueryTextAsync(_client, _server, "SELECT kind, append_id FROM " + AppendsTable + " WHERE funnel_key = " + ClickHouseSql.Literal(funnelKey) + " FORMAT TabSeparated", DistributedOptions(false), cancellationToken).ConfigureAwait(false);
        var commits = new List<ulong>();
        ulong deletedUpTo = 0;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var id = ulong.Parse(line.AsSpan(tab + 1), CultureInfo.InvariantCulture);
            if (line.AsSpan(0, tab) is "2")
            {
                deletedUpTo = Math.Max(deletedUpTo, id);
            }
            else
            {
                commits.Add(id);
            }
        }

        var visible = commits.Where(id => id > deletedUpTo).ToList();
        return visible.Count == 0
            ? null
            : "funnel_key = " + ClickHouseSql.Literal(funnelKey) + " AND append_id IN (" + string.Join(", ", visible.Select(id => id.ToString(CultureInfo.InvariantCulture))) + ")";
    }

    private async Task<long> CountAsync(string filter, CancellationToken cancellationToken)
    {
        var text = await QueryTextAsync(_client, _server, "SELECT count() FROM " + EventsTable + " WHERE " + filter + " FORMAT TabSeparated", DistributedOptions(false), cancellationToken).ConfigureAwait(false);
        return long.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    private async Task<List<long[]>> QueryNumbersAsync(string sql, CancellationToken cancellationToken)
    {
        var text = await QueryTextAsync(_client, _server, sql, DistributedOptions(true), cancellationToken).ConfigureAwait(false);
        var rows = new List<long[]>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            var row = new long[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                row[i] = (long)ulong.Parse(fields[i], CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }

    private async Task InsertAsync(string table, string[] columns, MemoryStream buffer, CancellationToken cancellationToken)
    {
        await using var batch = buffer.ConfigureAwait(false);
        try
        {
            using var response = await _client.InsertRawStreamAsync(table, buffer, "RowBinary", columns, false, DistributedOptions(false), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new FunnelStorageException($"The insert into table {table} on ClickHouse server {_server} failed: {(int)response.StatusCode} {body.Trim()}");
            }
        }
        catch (Exception e) when (IsServerFailure(e, cancellationToken))
        {
            throw Failure("The insert into table " + table, _server, e);
        }
    }

    private Task<ClickHouseRawResult> RunAsync(string sql, QueryOptions? options, CancellationToken cancellationToken) =>
        RunAsync(_client, _server, sql, options, cancellationToken);

    private static async Task<ClickHouseRawResult> RunAsync(ClickHouseClient client, string server, string sql, QueryOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            return await client.ExecuteRawResultAsync(sql, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsServerFailure(e, cancellationToken))
        {
            throw Failure("The query " + Shorten(sql), server, e);
        }
    }

    private static async Task<string> QueryTextAsync(ClickHouseClient client, string server, string sql, QueryOptions? options, CancellationToken cancellationToken)
    {
        using var result = await RunAsync(client, server, sql, options, cancellationToken).ConfigureAwait(false);
        try
        {
            return await result.ReadAsStringAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsServerFailure(e, cancellationToken))
        {
            throw Failure("Reading the answer to " + Shorten(sql), server, e);
        }
    }

    private static async Task ExecuteAsync(ClickHouseClient client, string server, string sql, CancellationToken cancellationToken)
    {
        try
        {
            await client.ExecuteNonQueryAsync(sql, null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsServerFailure(e, cancellationToken))
        {
            throw Failure("The statement " + Shorten(sql), server, e);
        }
    }

    private static async Task CheckColumnsAsync(ClickHouseClient client, string server, string table, string keyType, CancellationToken cancellationToken)
    {
        var text = await QueryTextAsync(client, server, "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = " + ClickHouseSql.Literal(table) + " FORMAT TabSeparated", null, cancellationToken).ConfigureAwait(false);
        var found = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        (string Name, string Type)[] expected =
        [
            ("funnel_key", "String"), ("entity_id", keyType), ("stage", "Int32"), ("at", "Int64"), ("reason", "Int32"), ("segment", "Nullable(String)"), ("append_id", "UInt64"), ("pos", "UInt64"),
        ];
        foreach (var (name, type) in expected)
        {
            if (!found.TryGetValue(name, out var actual))
            {
                throw new FunnelStorageException($"Table {table} on ClickHouse server {server} has another schema: column {name} ({type}) is missing (it has: {string.Join(", ", found.Keys)}).");
            }

            if (!string.Equals(actual, type, StringComparison.Ordinal))
            {
                throw new FunnelStorageException($"Table {table} on ClickHouse server {server} has another schema: column {name} is {actual}, not {type}{(name == "entity_id" ? " (the store's KeyType must match the table)" : string.Empty)}.");
            }
        }
    }

    private async ValueTask<bool> HasMoreAsync(RowBinaryReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.HasMoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsServerFailure(e, cancellationToken))
        {
            throw Failure("Reading table " + EventsTable, _server, e);
        }
    }

    private static bool IsServerFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or ClickHouseServerException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static FunnelStorageException Failure(string what, string server, Exception e) =>
        new(e switch
        {
            HttpRequestException => $"{what} failed: ClickHouse server {server} is unreachable ({e.Message}).",
            OperationCanceledException => $"{what} failed: ClickHouse server {server} did not answer in time.",
            _ => $"{what} failed on ClickHouse server {server}: {e.Message.Trim()}",
        }, e);

    private static string Shorten(string sql) => sql.Length <= 120 ? sql : string.Concat(sql.AsSpan(0, 117), "...");
}
