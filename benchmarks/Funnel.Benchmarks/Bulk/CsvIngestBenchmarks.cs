using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DuckDB.NET.Data;
using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Benchmarks.Bulk;

/// <summary>
/// From a CSV file to columns in memory (issue 15, items 1 and 7): DuckDB's <c>read_csv</c> with typed columns into
/// a table (the baseline) and as <c>count(*)</c>, the streaming <see cref="TransitionLogCsvReader"/>, and the fast
/// path <see cref="TransitionLogCsvReader.ReadFile(string, FunnelDefinition, TransitionLogCsvOptions)"/> (parse, intern keys, build the <see cref="TransitionLog"/>), on
/// the 1M-lead generated log (3.34M rows) written once to a temporary CSV. DuckDB runs with one thread per core.
/// </summary>
/// <remarks>Each operation takes from a tenth of a second to seconds, so each iteration is one operation (Monitoring).</remarks>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 9)]
public class CsvIngestBenchmarks : IDisposable
{
    private const int Leads = 1_000_000;

    private readonly FunnelDefinition _definition = Definition();
    private string _path = string.Empty;
    private DuckDBConnection? _duck;

    /// <summary>Gets the path of the generated CSV file, once <see cref="Setup"/> has written it.</summary>
    public string Path => _path;

    /// <summary>The generated funnel's definition: stages <c>stage-0</c>..<c>stage-5</c>, loss reasons <c>reason-0</c>..<c>reason-3</c>.</summary>
    public static FunnelDefinition Definition()
    {
        var builder = new FunnelDefinitionBuilder("generated");
        for (var s = 0; s < TransitionLogGenerator.StageCount; s++)
        {
            builder.AddStage($"stage-{s}");
        }

        for (var r = 0; r < TransitionLogGenerator.LossReasonCount; r++)
        {
            builder.AddLossReason($"reason-{r}");
        }

        return builder.WonAt($"stage-{TransitionLogGenerator.StageCount - 1}").WithTransitionOptions(TransitionOptions.FreeForm).Build();
    }

    /// <summary>Writes the log once (entity keys are the generator's ids as decimal text, as <c>funnel generate</c> writes them) and opens DuckDB.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"funnel-bench-generated-{Leads}.csv");
        if (!File.Exists(_path))
        {
            var log = TransitionLogGenerator.Generate(Leads);
            var keys = Enumerable.Range(0, log.EntityIdLimit).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
            var temporary = _path + ".partial";
            TransitionLogCsvWriter.WriteFile(temporary, log, _definition, keys);
            File.Move(temporary, _path, overwrite: true);
        }

        _duck = new DuckDBConnection("DataSource=:memory:");
        _duck.Open();
        Execute($"SET threads = {Environment.ProcessorCount}");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _duck?.Dispose();
        _duck = null;
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "DuckDB read_csv, typed columns into a table")]
    public void DuckDbIntoTable() => Execute(
        $"CREATE OR REPLACE TABLE events AS SELECT * FROM read_csv('{_path}', header = true, columns = {{'entity': 'VARCHAR', 'stage': 'VARCHAR', 'timestamp': 'BIGINT', 'loss_reason': 'VARCHAR'}})");

    [Benchmark(Description = "DuckDB read_csv, SELECT count(*)")]
    public long DuckDbCount()
    {
        using var command = _duck!.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM read_csv('{_path}', header = true, columns = {{'entity': 'VARCHAR', 'stage': 'VARCHAR', 'timestamp': 'BIGINT', 'loss_reason': 'VARCHAR'}})";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    [Benchmark(Description = "TransitionLogCsvReader.Read (streaming)")]
    public TransitionLog Streaming()
    {
        using var text = new StreamReader(_path);
        return TransitionLogCsvReader.Read(text, _definition).Log;
    }

    [Benchmark(Description = "TransitionLogCsvReader.ReadFile (fast path)")]
    public TransitionLog FastPath() => TransitionLogCsvReader.ReadFile(_path, _definition).Log;

    private void Execute(string sql)
    {
        using var command = _duck!.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
