using System.Collections.Immutable;
using System.Data.Common;
using System.Text;
using Funnel.Core;
using Funnel.Core.Storage;

namespace Funnel.Storage.Internal;

/// <content>Reads: one journey, queries, idle journeys and histories, each from one snapshot.</content>
internal sealed partial class SqlJourneyStore
{
    private const string JourneyColumns =
        "j.id, j.funnel_key, j.stage, j.status, j.loss_reason, j.entered_ticks, j.entered_offset, j.changed_ticks, j.changed_offset, j.closed_ticks, j.closed_offset, j.version";

    protected override async Task<Journey?> LoadCoreAsync(string journeyId, CancellationToken cancellationToken)
    {
        var list = await SelectAsync(
            "SELECT " + JourneyColumns + " FROM funnel_journeys j WHERE j.id = @id",
            command => command.With("@id", journeyId),
            cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    protected override Task<IReadOnlyList<Journey>> QueryCoreAsync(JourneyQuery query, CancellationToken cancellationToken)
    {
        var text = new StringBuilder("SELECT ").Append(JourneyColumns).Append(" FROM funnel_journeys j WHERE 1 = 1");
        if (query.FunnelKey is not null)
        {
            text.Append(" AND j.funnel_key = @funnel");
        }

        if (!query.Stage.IsDefault)
        {
            text.Append(" AND j.stage = @stage");
        }

        if (query.Status is not null)
        {
            text.Append(" AND j.status = @status");
        }

        if (query.AttributeName is not null)
        {
            text.Append(" AND EXISTS (SELECT 1 FROM funnel_journey_attributes a WHERE a.journey_id = j.id AND a.name = @aname AND ")
                .Append(_dialect.AttributeValueMatch).Append(')');
        }

        if (query.AfterId is not null)
        {
            text.Append(" AND ").Append(_dialect.OrdinalId).Append(" > @after");
        }

        text.Append(" ORDER BY ").Append(_dialect.OrdinalId).Append(" LIMIT @limit");
        return SelectAsync(
            text.ToString(),
            command =>
            {
                command.With("@limit", query.Limit);
                if (query.FunnelKey is not null)
                {
                    command.With("@funnel", query.FunnelKey);
                }

                if (!query.Stage.IsDefault)
                {
                    command.With("@stage", query.Stage.Value);
                }

                if (query.Status is { } status)
                {
                    command.With("@status", (int)status);
                }

                if (query.AttributeName is not null)
                {
                    command.With("@aname", query.AttributeName).With("@avalue", query.AttributeValue);
                }

                if (query.AfterId is not null)
                {
                    command.With("@after", query.AfterId);
                }
            },
            cancellationToken);
    }

    protected override async Task<IReadOnlyList<Journey>> FindIdleCoreAsync(FunnelDefinition definition, DateTimeOffset asOf, int limit, CancellationToken cancellationToken)
    {
        var limited = definition.Stages.Where(stage => stage.IdleLimit is not null).ToArray();
        if (limited.Length == 0)
        {
            return [];
        }

        var text = new StringBuilder("SELECT ").Append(JourneyColumns)
            .Append(" FROM funnel_journeys j WHERE j.funnel_key = @funnel AND j.status = @open AND (");
        for (var i = 0; i < limited.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : " OR ")
                .Append("(j.stage = ").Append(Sql.Name("@s", i)).Append(" AND j.entered_ticks < ").Append(Sql.Name("@t", i)).Append(')');
        }

        text.Append(") ORDER BY j.entered_ticks, ").Append(_dialect.OrdinalId).Append(" LIMIT @limit");
        return await SelectAsync(
            text.ToString(),
            command =>
            {
                command.With("@funnel", definition.Key).With("@open", (int)JourneyStatus.Open).With("@limit", limit);
                for (var i = 0; i < limited.Length; i++)
                {
                    var threshold = asOf.UtcTicks - limited[i].IdleLimit!.Value.Ticks;
                    command.With(Sql.Name("@s", i), limited[i].Key.Value).With(Sql.Name("@t", i), threshold);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<ImmutableArray<JourneyTransition>> GetHistoryCoreAsync(string journeyId, CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var histories = await ReadHistoriesAsync(connection, null, [journeyId], cancellationToken).ConfigureAwait(false);
            return histories.TryGetValue(journeyId, out var history) ? history.ToImmutable() : [];
        }
    }

    private async Task<IReadOnlyList<Journey>> SelectAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One snapshot for the rows and their details, so a concurrent save cannot mix versions.
            var transaction = await _dialect.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var rows = new List<JourneyRow>();
                var command = Sql.Command(connection, transaction, sql);
                bind(command);
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            rows.Add(new JourneyRow(
                                reader.GetString(0),
                                reader.GetString(1),
                                reader.GetString(2),
                                reader.GetInt32(3),
                                reader.GetNullableString(4),
                                Sql.ToTime(reader.GetInt64(5), reader.GetInt32(6)),
                                Sql.ToTime(reader.GetInt64(7), reader.GetInt32(8)),
                                reader.IsDBNull(9) ? null : Sql.ToTime(reader.GetInt64(9), reader.GetInt32(10)),
                                reader.GetInt64(11)));
                        }
                    }
                }

                if (rows.Count == 0)
                {
                    return [];
                }

                var ids = rows.Select(row => row.Id).ToArray();
                var histories = await ReadHistoriesAsync(connection, transaction, ids, cancellationToken).ConfigureAwait(false);
                var attributes = await ReadPairsAsync(connection, transaction, "SELECT journey_id, name, value FROM funnel_journey_attributes WHERE journey_id IN (", ids, cancellationToken).ConfigureAwait(false);
                var attempts = await ReadPairsAsync(connection, transaction, "SELECT journey_id, stage, attempts FROM funnel_journey_attempts WHERE journey_id IN (", ids, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                var journeys = new List<Journey>(rows.Count);
                foreach (var row in rows)
                {
                    journeys.Add(Restore(
                        row,
                        histories.TryGetValue(row.Id, out var history) ? history.ToImmutable() : [],
                        attributes.GetValueOrDefault(row.Id) ?? [],
                        attempts.GetValueOrDefault(row.Id) ?? []));
                }

                return journeys;
            }
        }
    }

    private Journey Restore(JourneyRow row, ImmutableArray<JourneyTransition> history, List<KeyValuePair<string, string>> attributes, List<KeyValuePair<string, string>> attempts)
    {
        var definition = ResolveDefinition(row.FunnelKey, row.Id);
        try
        {
            return Journey.Restore(
                definition,
                row.Id,
                new StageKey(row.Stage),
                (JourneyStatus)row.Status,
                row.LossReason is null ? default : new LossReasonKey(row.LossReason),
                row.EnteredAt,
                row.ChangedAt,
                row.ClosedAt,
                history,
                attributes,
                attempts.Select(pair => KeyValuePair.Create(new StageKey(pair.Key), int.Parse(pair.Value, System.Globalization.CultureInfo.InvariantCulture))),
                row.Version);
        }
        catch (Exception exception) when (exception is ArgumentException or KeyNotFoundException or FunnelException && exception is not FunnelStorageException)
        {
            throw new FunnelStorageException($"Stored journey '{row.Id}' of funnel '{row.FunnelKey}' cannot be restored: {exception.Message}", exception);
        }
    }

    private static async Task<Dictionary<string, ImmutableArray<JourneyTransition>.Builder>> ReadHistoriesAsync(
        DbConnection connection, DbTransaction? transaction, string[] ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ImmutableArray<JourneyTransition>.Builder>(StringComparer.Ordinal);
        await ForEachRowAsync(
            connection,
            transaction,
            "SELECT journey_id, kind, from_stage, to_stage, at_ticks, at_offset, actor, note, loss_reason, forced_by, forced_reason, forced_overridden " +
            "FROM funnel_journey_history WHERE journey_id IN (",
            ids,
            ") ORDER BY journey_id, seq",
            (id, reader) =>
            {
                if (!result.TryGetValue(id, out var builder))
                {
                    builder = ImmutableArray.CreateBuilder<JourneyTransition>();
                    result.Add(id, builder);
                }

                var from = reader.GetNullableString(2);
                var reason = reader.GetNullableString(8);
                try
                {
                    builder.Add(new JourneyTransition(
                        (MoveKind)reader.GetInt32(1),
                        from is null ? default : new StageKey(from),
                        new StageKey(reader.GetString(3)),
                        Sql.ToTime(reader.GetInt64(4), reader.GetInt32(5)),
                        reader.GetNullableString(6),
                        reader.GetNullableString(7),
                        reason is null ? default : new LossReasonKey(reason),
                        OverrideColumns.Read(reader.GetNullableString(9), reader.GetNullableString(10), reader.GetNullableString(11))));
                }
                catch (Exception exception) when (exception is ArgumentException or FormatException)
                {
                    throw new FunnelStorageException($"History entry {builder.Count} of stored journey '{id}' is invalid: {exception.Message}", exception);
                }
            },
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static async Task<Dictionary<string, List<KeyValuePair<string, string>>>> ReadPairsAsync(
        DbConnection connection, DbTransaction transaction, string selectPrefix, string[] ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, List<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        await ForEachRowAsync(
            connection,
            transaction,
            selectPrefix,
            ids,
            ")",
            (id, reader) =>
            {
                if (!result.TryGetValue(id, out var list))
                {
                    list = [];
                    result.Add(id, list);
                }

                var value = reader.GetValue(2);
                list.Add(KeyValuePair.Create(reader.GetString(1), Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
            },
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="selectPrefix"/>, an IN list of journey ids and <paramref name="suffix"/>, for at most
    /// <see cref="InListChunk"/> ids at a time, and hands every row to <paramref name="onRow"/> with its journey id
    /// (column 0).
    /// </summary>
    private static async Task ForEachRowAsync(
        DbConnection connection, DbTransaction? transaction, string selectPrefix, string[] ids, string suffix, Action<string, DbDataReader> onRow, CancellationToken cancellationToken)
    {
        foreach (var chunk in ids.Chunk(InListChunk))
        {
            var command = Sql.Command(connection, transaction, selectPrefix + InList("@i", chunk.Length) + suffix);
            for (var i = 0; i < chunk.Length; i++)
            {
                command.With(Sql.Name("@i", i), chunk[i]);
            }

            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        onRow(reader.GetString(0), reader);
                    }
                }
            }
        }
    }

    private sealed record JourneyRow(
        string Id,
        string FunnelKey,
        string Stage,
        int Status,
        string? LossReason,
        DateTimeOffset EnteredAt,
        DateTimeOffset ChangedAt,
        DateTimeOffset? ClosedAt,
        long Version);
}
