using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Text;
using DuckDB.NET.Data;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Core.DuckDbTests;

/// <summary>
/// Computes the bulk metrics of SEMANTICS.md with DuckDB, independently of the engine: the logs are written to a CSV
/// file, read with DuckDB's <c>read_csv</c> into an in-memory database, and the SQL files under <c>Sql/</c> (one per
/// metric) compute the numbers. C# only writes the input and puts the rows that come back into arrays.
/// </summary>
internal static class DuckDbOracle
{
    private static readonly string[] MetricFiles =
        ["counts", "reached", "reached_step_windows", "transitions", "time_in_stage", "losses", "outcomes"];

    /// <summary>Analyses one log.</summary>
    public static OracleResult Run(TransitionLog log, int stageCount, int goal, int reasonCount, long windowSeconds) =>
        Run([new OracleCase(log, stageCount, goal, reasonCount, windowSeconds)])[0];

    /// <summary>Analyses one case.</summary>
    public static OracleResult Run(OracleCase c) => Run([c])[0];

    /// <summary>Analyses many logs in one database (one CSV file, a log_id column), in the order given.</summary>
    public static OracleResult[] Run(IReadOnlyList<OracleCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var results = cases.Select(c => OracleResult.Zero(c.StageCount, c.ReasonCount)).ToArray();
        WithDatabase(cases, connection =>
        {
            ReadCounts(connection, results);
            ReadReached(connection, "reached", results);
            if (cases.Any(c => c.StepWindows is not null))
            {
                ReadReached(connection, "reached_step_windows", results);
            }
            ReadTransitions(connection, results);
            ReadTimeInStage(connection, results);
            ReadLosses(connection, results);
            ReadOutcomes(connection, results);
        });
        return results;
    }

    /// <summary>
    /// Computes Reached under the funnel modes of one mode file (rules 8-13 of docs/bulk.md) for many logs in one
    /// database: the file returns rows (mode, log_id, stage, entities); the answer maps each mode to Reached per log.
    /// Logs the file does not cover (those with per-step windows) keep all-zero rows.
    /// </summary>
    public static IReadOnlyDictionary<string, long[][]> RunModes(IReadOnlyList<OracleCase> cases, string metric, params string[] modes)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var results = modes.ToDictionary(m => m, _ => cases.Select(c => new long[c.StageCount]).ToArray(), StringComparer.Ordinal);
        WithDatabase(cases, connection =>
            Query(connection, metric, r => results[r.GetString(0)][Int(r, 1)][Int(r, 2)] = Long(r, 3)));
        return results;
    }

    /// <summary>
    /// Computes the interpolated median of time in stage (rule 13, time_in_stage_median.sql) for many logs in one
    /// database: per log, rows 0..n (row n the time after a loss), 0 for a row without a stay.
    /// </summary>
    public static double[][] RunInterpolatedMedians(IReadOnlyList<OracleCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var results = cases.Select(c => new double[c.StageCount + 1]).ToArray();
        WithDatabase(cases, connection =>
            Query(connection, "time_in_stage_median", r => results[Int(r, 0)][Int(r, 1)] = Convert.ToDouble(r.GetValue(2), CultureInfo.InvariantCulture)));
        return results;
    }

    /// <summary>
    /// Computes what the funnel modes decide (docs/bulk.md rules 8-13: Reached, Excluded, time to convert with its
    /// histograms) for many logs in one database, each under its own <see cref="OracleCase.Modes"/> (the defaults when
    /// it has none): attempts.sql and counted.sql make the tables, reached_modes.sql, conversion_times.sql and
    /// conversion_time_bins.sql read them.
    /// </summary>
    public static ModeResult[] RunFunnelModes(IReadOnlyList<OracleCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var results = cases.Select(c => new ModeResult(c.StageCount)).ToArray();
        WithDatabase(cases, connection =>
        {
            Execute(connection, Sql("attempts"));
            Execute(connection, Sql("counted"));
            Query(connection, "reached_modes", r =>
            {
                var result = results[Int(r, 1)];
                if (r.GetString(0) == "excluded")
                {
                    result.Excluded = Long(r, 3);
                }
                else
                {
                    result.Reached[Int(r, 2)] = Long(r, 3);
                }
            });
            Query(connection, "conversion_times", r =>
            {
                var times = results[Int(r, 0)].Of(Int(r, 1), r.GetString(2));
                times.Count = Long(r, 3);
                times.Total = (Int128)(BigInteger)r.GetValue(4);
                times.LowerMedian = Long(r, 5);
                times.UpperMedian = Long(r, 6);
                times.P90 = Long(r, 7);
                times.InterpolatedMedian = Convert.ToDouble(r.GetValue(8), CultureInfo.InvariantCulture);
            });
            Query(connection, "conversion_time_bins", r =>
                results[Int(r, 0)].Of(Int(r, 1), r.GetString(2)).Bins.Add(
                    new DurationBin(r.IsDBNull(4) ? null : Long(r, 4), r.IsDBNull(5) ? null : Long(r, 5), Long(r, 6))));
        });
        return results;
    }

    private static void WithDatabase(IReadOnlyList<OracleCase> cases, Action<DuckDBConnection> read)
    {
        var folder = Directory.CreateTempSubdirectory("funnel-duckdb-");
        try
        {
            var files = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["{logs_csv}"] = WriteLogs(cases, folder),
                ["{steps_csv}"] = WriteSteps(cases, folder),
                ["{events_csv}"] = WriteEvents(cases, folder, keyed: false),
                ["{keyed_events_csv}"] = WriteEvents(cases, folder, keyed: true),
                ["{optional_csv}"] = WriteOptionalSteps(cases, folder),
                ["{exclusions_csv}"] = WriteExclusions(cases, folder),
                ["{bin_edges_csv}"] = WriteBinEdges(cases, folder),
            };

            using var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            Execute(connection, files.Aggregate(Sql("events"), (sql, file) => sql.Replace(file.Key, Quote(file.Value), StringComparison.Ordinal)));
            read(connection);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Gets the text of one SQL file (embedded as <c>Sql.&lt;name&gt;.sql</c>).</summary>
    public static string Sql(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Sql.{name}.sql")
            ?? throw new InvalidOperationException($"The SQL file Sql/{name}.sql is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Gets the names of the metric files, each a query over the tables events.sql makes.</summary>
    public static IReadOnlyList<string> Metrics => MetricFiles;

    private static string Quote(string path) => path.Replace("'", "''", StringComparison.Ordinal);

    private static string WriteLogs(IReadOnlyList<OracleCase> cases, DirectoryInfo folder) =>
        WriteCsv(folder, "logs", "log_id,stage_count,goal,reason_count,window_seconds,has_step_windows,anchor,step_order", cases, (id, c) =>
        {
            var modes = c.Modes ?? new OracleModes();
            var steps = c.StepWindows is null ? "false" : "true";
            return [string.Create(CultureInfo.InvariantCulture, $"{id},{c.StageCount},{c.Goal},{c.ReasonCount},{c.WindowSeconds},{steps},{Lower(modes.Anchor)},{Lower(modes.Order)}")];
        });

    // One row per limited step; a step without a limit has no row.
    private static string WriteSteps(IReadOnlyList<OracleCase> cases, DirectoryInfo folder) =>
        WriteCsv(folder, "steps", "log_id,step,window_seconds", cases, (id, c) =>
            (c.StepWindows ?? []).Select((w, k) => (w, k)).Where(x => x.w != long.MaxValue)
                .Select(x => string.Create(CultureInfo.InvariantCulture, $"{id},{x.k + 1},{x.w}")));

    private static string WriteOptionalSteps(IReadOnlyList<OracleCase> cases, DirectoryInfo folder) =>
        WriteCsv(folder, "optional", "log_id,step", cases, (id, c) =>
            (c.Modes?.Optional ?? []).Select(step => string.Create(CultureInfo.InvariantCulture, $"{id},{step}")));

    // An exclusion's target: an entry into `stage` (is_loss false), or a loss of `reason` (empty for any reason).
    private static string WriteExclusions(IReadOnlyList<OracleCase> cases, DirectoryInfo folder) =>
        WriteCsv(folder, "exclusions", "log_id,from_step,to_step,is_loss,stage,reason", cases, (id, c) =>
            (c.Modes?.Excluding ?? []).Select(x => string.Create(
                CultureInfo.InvariantCulture,
                $"{id},{x.FromStep},{x.ToStep},{(x.IsLoss ? "true" : "false")},{x.StageKey},{x.LossReasonKey}")));

    // Explicit time-to-convert bin edges in seconds; a log without rows has automatic bins.
    private static string WriteBinEdges(IReadOnlyList<OracleCase> cases, DirectoryInfo folder) =>
        WriteCsv(folder, "bin_edges", "log_id,edge_index,edge", cases, (id, c) =>
            (c.Modes?.BinsOrAutomatic.BinEdges ?? []).Select((e, i) => string.Create(CultureInfo.InvariantCulture, $"{id},{i},{e.Ticks / TimeSpan.TicksPerSecond}")));

    private static string WriteCsv(DirectoryInfo folder, string name, string header, IReadOnlyList<OracleCase> cases, Func<int, OracleCase, IEnumerable<string>> rows)
    {
        var path = Path.Combine(folder.FullName, name + ".csv");
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        writer.Write(header + "\n");
        for (var id = 0; id < cases.Count; id++)
        {
            foreach (var row in rows(id, cases[id]))
            {
                writer.Write(row + "\n");
            }
        }

        return path;
    }

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    // The logs with row keys go to their own file, which carries each row's key text (as the application had it,
    // before interning) instead of its id: DuckDB groups their entities by the text itself.
    private static string WriteEvents(IReadOnlyList<OracleCase> cases, DirectoryInfo folder, bool keyed)
    {
        var path = Path.Combine(folder.FullName, keyed ? "keyed_events.csv" : "events.csv");
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 20);
        writer.Write(keyed ? "log_id,pos,entity_key,stage,ts,reason\n" : "log_id,pos,entity,stage,ts,reason\n");
        Span<char> line = stackalloc char[128];
        for (var id = 0; id < cases.Count; id++)
        {
            var keys = cases[id].RowKeys;
            if ((keys is not null) != keyed)
            {
                continue;
            }

            var log = cases[id].Log;
            var entities = log.EntityIds;
            var stages = log.Stages;
            var timestamps = log.Timestamps;
            var reasons = log.LossReasons;
            for (var pos = 0; pos < log.Count; pos++)
            {
                // pos = the 0-based input position: rule 1 orders ties by it.
                if (keys is not null)
                {
                    var key = "\"" + keys[pos].Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                    writer.Write(string.Create(CultureInfo.InvariantCulture, $"{id},{pos},{key},{stages[pos]},{timestamps[pos]},{reasons[pos]}\n"));
                    continue;
                }

                line.TryWrite(CultureInfo.InvariantCulture, $"{id},{pos},{entities[pos]},{stages[pos]},{timestamps[pos]},{reasons[pos]}\n", out var written);
                writer.Write(line[..written]);
            }
        }

        return path;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Query(DuckDBConnection connection, string metric, Action<DuckDBDataReader> row)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql(metric);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            row(reader);
        }
    }

    private static long Long(DuckDBDataReader reader, int column) =>
        Convert.ToInt64(reader.GetValue(column), CultureInfo.InvariantCulture);

    private static int Int(DuckDBDataReader reader, int column) =>
        Convert.ToInt32(reader.GetValue(column), CultureInfo.InvariantCulture);

    private static void ReadCounts(DuckDBConnection connection, OracleResult[] results) =>
        Query(connection, "counts", r =>
        {
            var id = Int(r, 0);
            results[id] = results[id] with { Events = Long(r, 1), Entities = Long(r, 2) };
        });

    // reached.sql covers the logs without per-step windows, reached_step_windows.sql those with them.
    private static void ReadReached(DuckDBConnection connection, string metric, OracleResult[] results) =>
        Query(connection, metric, r => results[Int(r, 0)].Reached[Int(r, 1)] = Long(r, 2));

    private static void ReadTransitions(DuckDBConnection connection, OracleResult[] results) =>
        Query(connection, "transitions", r => results[Int(r, 0)].Transitions[Int(r, 1), Int(r, 2)] = Long(r, 3));

    private static void ReadTimeInStage(DuckDBConnection connection, OracleResult[] results) =>
        Query(connection, "time_in_stage", r =>
        {
            var result = results[Int(r, 0)];
            var row = Int(r, 1);
            result.Stays[row] = Long(r, 2);
            result.Totals[row] = (Int128)(BigInteger)r.GetValue(3);
            result.Medians[row] = Long(r, 4);
        });

    private static void ReadLosses(DuckDBConnection connection, OracleResult[] results) =>
        Query(connection, "losses", r =>
        {
            var result = results[Int(r, 0)];
            var reason = Int(r, 3);
            var count = Long(r, 4);
            switch (r.GetString(1))
            {
                case "unknown": result.LossesAtUnknownStage[reason] = count; break;
                case "after_loss": result.LossesAfterLoss[reason] = count; break;
                default: result.Losses[Int(r, 2), reason] = count; break;
            }
        });

    private static void ReadOutcomes(DuckDBConnection connection, OracleResult[] results) =>
        Query(connection, "outcomes", r =>
        {
            var id = Int(r, 0);
            var count = Long(r, 3);
            switch (r.GetString(1))
            {
                case "won": results[id] = results[id] with { Won = count }; break;
                case "lost": results[id] = results[id] with { Lost = count }; break;
                default: results[id].OpenAt[Int(r, 2)] = count; break;
            }
        });
}
