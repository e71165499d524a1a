using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DuckDB.NET.Data;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Formats.Parquet;

namespace Funnel.Benchmarks.Bulk;

/// <summary>
/// From a CSV or Parquet file to the four standard answers (window funnel, transition matrix, time in stage with exact
/// median, losses, plus the outcomes), the engine beside DuckDB in the same run (issue 15, item 7), on the 1M-lead
/// generated log (3.34M rows) that <see cref="CsvIngestBenchmarks"/> writes; the Parquet file is written from it by
/// DuckDB (<c>COPY ... TO (FORMAT parquet)</c>, a second writer), and the engine reads it with
/// <see cref="TransitionLogParquetReader"/>. One more row goes from the file to the full metrics report
/// (<see cref="TransitionLogMetrics.ComputeReport"/>: proportions with intervals, outcomes, dropped and open leads).
/// </summary>
/// <remarks>
/// <para>DuckDB computes the numbers with the SQL files of the DuckDB oracle test project (tests/Funnel.Core.DuckDbTests/Sql,
/// linked into this assembly): <c>events.sql</c> loads the rows and orders each lead's events (rule 1), and one file per
/// metric answers a question. The setup checks once that DuckDB and the engine give the same funnel, so both sides
/// compute the same thing. Stage and loss-reason keys are mapped to ordinals by a join, as a DuckDB user would.</para>
/// <para>"End to end" is file → every answer. "Queries only" starts from data already in memory: DuckDB's ordered
/// <c>events</c> table, the engine's <see cref="TransitionLog"/>. Each operation takes from a tenth of a second to
/// seconds, so each iteration is one operation (Monitoring).</para>
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class EndToEndBenchmarks : IDisposable
{
    private static readonly string[] Questions = ["reached", "transitions", "time_in_stage", "losses", "outcomes"];

    private readonly FunnelDefinition _definition = CsvIngestBenchmarks.Definition();
    private readonly TransitionAnalyzer _analyzer = GeneratedLog.Analyzer();
    private string _csv = string.Empty;
    private string _parquet = string.Empty;
    private string _folder = string.Empty;
    private TransitionLog _log = TransitionLog.Empty;
    private DuckDBConnection? _loaded;

    /// <summary>Gets or sets the input file format: <c>csv</c> or <c>parquet</c>.</summary>
    [Params("csv", "parquet")]
    public string Format { get; set; } = "csv";

    /// <summary>Writes the CSV (shared with <see cref="CsvIngestBenchmarks"/>), loads both sides once for the query-only cases, and checks that they agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        using (var ingest = new CsvIngestBenchmarks())
        {
            ingest.Setup();
            _csv = ingest.Path;
        }

        _folder = Directory.CreateTempSubdirectory("funnel-bench-duckdb-").FullName;
        _parquet = Path.Combine(_folder, "events.parquet");
        using (var writer = new DuckDBConnection("DataSource=:memory:"))
        {
            writer.Open();
            Execute(writer, $"COPY (SELECT * FROM read_csv('{Quote(_csv)}', header = true, auto_detect = false, columns = {{'entity': 'VARCHAR', 'stage': 'VARCHAR', 'timestamp': 'BIGINT', 'loss_reason': 'VARCHAR'}})) TO '{Quote(_parquet)}' (FORMAT parquet)");
        }

        _log = ReadLog();
        _loaded = Load();

        var engine = _analyzer.Analyze(_log).Reached.ToArray();
        var duck = new long[engine.Length];
        using var command = _loaded.CreateCommand();
        command.CommandText = Sql("reached");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            duck[Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture)] = Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture);
        }

        if (!engine.SequenceEqual(duck))
        {
            throw new InvalidOperationException($"DuckDB reached [{string.Join(", ", duck)}], the engine [{string.Join(", ", engine)}]: the benchmark would compare different things.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _loaded?.Dispose();
        _loaded = null;
        if (_folder.Length > 0 && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "DuckDB, end to end: read + order + 5 queries")]
    public long DuckDbEndToEnd()
    {
        using var connection = Load();
        return AskEverything(connection);
    }

    [Benchmark(Description = "Engine, end to end: read + Analyze")]
    public TransitionReport EngineEndToEnd() => _analyzer.Analyze(ReadLog());

    [Benchmark(Description = "Engine, end to end: read + full metrics report")]
    public FunnelReport EngineFullReport()
    {
        var (log, keys) = Format == "csv" ? ReadCsv() : ReadParquet();
        return TransitionLogMetrics.ComputeReport(_definition, log, keys, query: FunnelQuery.Default.Ordered(TimeSpan.FromSeconds(GeneratedLog.Window)));
    }

    [Benchmark(Description = "DuckDB, queries only (ordered table in memory)")]
    public long DuckDbQueries() => AskEverything(_loaded!);

    [Benchmark(Description = "Engine, Analyze only (log in memory)")]
    public TransitionReport EngineAnalyze() => _analyzer.Analyze(_log);

    // The log only, for both formats (the keys stay in each reader's compact form, as an app that only analyses keeps them).
    private TransitionLog ReadLog() => Format == "csv" ? TransitionLogCsvReader.ReadFile(_csv, _definition).Log : TransitionLogParquetReader.Read(_parquet, _definition).Log;

    private (TransitionLog Log, System.Collections.Immutable.ImmutableArray<string> Keys) ReadCsv()
    {
        var read = TransitionLogCsvReader.ReadFile(_csv, _definition);
        return (read.Log, read.Entities.ToImmutableArray());
    }

    private (TransitionLog Log, System.Collections.Immutable.ImmutableArray<string> Keys) ReadParquet()
    {
        var read = TransitionLogParquetReader.Read(_parquet, _definition);
        return (read.Log, read.Entities.ToImmutableArray());
    }

    private static string Sql(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Sql.{name}.sql")
            ?? throw new InvalidOperationException($"The SQL file Sql/{name}.sql is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static long AskEverything(DuckDBConnection connection)
    {
        var rows = 0L;
        foreach (var question in Questions)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql(question);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows++;
            }
        }

        return rows;
    }

    /// <summary>
    /// A new in-memory database with the tables of <c>events.sql</c>, the events read from the benchmark's CSV: the
    /// oracle's own input file is replaced by a query that maps keys to ordinals and numbers the rows.
    /// </summary>
    private DuckDBConnection Load()
    {
        var logsCsv = Path.Combine(_folder, "logs.csv");
        var stepsCsv = Path.Combine(_folder, "steps.csv");
        File.WriteAllText(logsCsv, $"log_id,stage_count,goal,reason_count,window_seconds,has_step_windows,anchor,step_order\n0,{_definition.Stages.Length},{_definition.GoalStage.Order},{_definition.LossReasons.Length},{GeneratedLog.Window},false,first,ordered\n");
        File.WriteAllText(stepsCsv, "log_id,step,window_seconds\n");

        // The oracle's other inputs (funnel modes, exclusions, histogram edges), empty: the standard questions use none.
        var empty = new Dictionary<string, string>
        {
            ["{optional_csv}"] = "log_id,step",
            ["{exclusions_csv}"] = "log_id,from_step,to_step,is_loss,stage,reason",
            ["{bin_edges_csv}"] = "log_id,edge_index,edge",
        };

        var source = Format == "csv"
            ? $$"""read_csv('{{Quote(_csv)}}', header = true, auto_detect = false, columns = {'entity': 'VARCHAR', 'stage': 'VARCHAR', 'timestamp': 'BIGINT', 'loss_reason': 'VARCHAR'})"""
            : $"read_parquet('{Quote(_parquet)}')";
        var input = $$"""
            SELECT 0 AS log_id, (row_number() OVER () - 1)::BIGINT AS pos, c.entity, s.ord AS stage, c.timestamp AS ts,
                   coalesce(r.ord, -1) AS reason
                FROM {{source}} c
                JOIN stage_keys s ON s.key = c.stage
                LEFT JOIN reason_keys r ON r.key = c.loss_reason
            """;
        var events = Regex.Replace(
            Sql("events"),
            @"SELECT \*\s+FROM read_csv\('\{events_csv\}'.*?\{keyed_events_csv\}.*?'reason': 'INTEGER'\}\)",
            input.Replace("$", "$$", StringComparison.Ordinal),
            RegexOptions.Singleline);
        if (events.Contains("read_csv('{events_csv}'", StringComparison.Ordinal) || events.Contains("read_csv('{keyed_events_csv}'", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("events.sql changed: the benchmark could not put its own input in.");
        }

        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Execute(connection, $"SET threads = {Environment.ProcessorCount}");
        Execute(connection, "CREATE TABLE stage_keys AS SELECT * FROM (VALUES " + string.Join(", ", _definition.Stages.Select(s => $"('{s.Key.Value}', {s.Order})")) + ") t(key, ord)");
        Execute(connection, "CREATE TABLE reason_keys AS SELECT * FROM (VALUES " + string.Join(", ", _definition.LossReasons.Select((r, i) => $"('{r.Key.Value}', {i})")) + ") t(key, ord)");
        foreach (var (placeholder, header) in empty)
        {
            var path = Path.Combine(_folder, placeholder.Trim('{', '}').Replace("_csv", ".csv", StringComparison.Ordinal));
            File.WriteAllText(path, header + "\n");
            events = events.Replace(placeholder, Quote(path), StringComparison.Ordinal);
        }

        Execute(connection, events
            .Replace("{logs_csv}", Quote(logsCsv), StringComparison.Ordinal)
            .Replace("{steps_csv}", Quote(stepsCsv), StringComparison.Ordinal));
        return connection;
    }

    private static string Quote(string path) => path.Replace("'", "''", StringComparison.Ordinal);

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
