using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Funnel.Cli.Input;
using Funnel.Cli.Output;
using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Cli.Commands;

/// <summary>
/// <c>funnel generate --entities N --out events.csv</c>: the benchmark generator of Funnel.Core.Bulk
/// (<see cref="TransitionLogGenerator"/>, splitmix64, seed 42), written with the stage and loss-reason keys of a
/// definition and a traffic source per entity.
/// </summary>
internal static class GenerateCommand
{
    /// <summary>The most entities: about 1.7 billion events, within the most a log holds (<see cref="Array.MaxLength"/>).</summary>
    internal const int MaxEntities = 500_000_000;

    /// <summary>The traffic sources given to generated entities, with their weights.</summary>
    internal static readonly (string Name, double Weight)[] Sources = [("organic", 0.4), ("ads", 0.3), ("email", 0.2), ("referral", 0.1)];

    public static Command Create(CliContext context)
    {
        var entities = new Option<int>("--entities", "-n") { HelpName = "n",  Description = "The number of entities (leads), 0 to 500,000,000; about 3.4 events each.", Required = true }
            .InRange(0, MaxEntities);
        var output = new Option<string>("--out", "-o") { HelpName = "file",  Description = "The file to write: .csv (text with keys and ISO timestamps) or .bin (the binary columnar format: ordinals, source codes 0..3).", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "The splitmix64 seed (a whole number, 0 or more).", DefaultValueFactory = _ => TransitionLogGenerator.DefaultSeed }
            .InRange(ulong.MinValue, ulong.MaxValue);
        var definition = new Option<string>("--definition", "-d") { HelpName = "file|template",  Description = "The funnel whose stage and loss-reason keys name the generated ordinals (at least 6 stages and 4 loss reasons): a JSON file or a template name.", DefaultValueFactory = _ => "customer-journey" };
        var noSources = new Option<bool>("--no-sources") { Description = "Leave out the source column." };
        var command = new Command("generate", "Generate a synthetic event log with the benchmark generator (deterministic for a seed), to try the tool at scale.")
        {
            entities, output, seed, definition, noSources,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(output);
            var binary = OutputFile.FormatFromExtension(path, null, (".csv", "csv"), (".bin", "bin")) == "bin";
            OutputFile.CheckWritable(path);
            var def = DefinitionResolver.Resolve(parse.GetValue(definition) ?? "customer-journey", context);
            if (def.Stages.Length < TransitionLogGenerator.StageCount || def.LossReasons.Length < TransitionLogGenerator.LossReasonCount)
            {
                throw new CliException(
                    $"the generator needs a funnel with at least {TransitionLogGenerator.StageCount} stages and {TransitionLogGenerator.LossReasonCount} loss reasons; '{def.Key}' has {def.Stages.Length} stages and {def.LossReasons.Length} loss reasons (try customer-journey, b2b-pipeline or real-estate).");
            }

            var seedValue = parse.GetValue(seed);
            var clock = Stopwatch.StartNew();
            var log = TransitionLogGenerator.Generate(parse.GetValue(entities), seedValue);
            var generated = clock.Elapsed.TotalSeconds;
            clock.Restart();
            try
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(path));
                if (folder is not null)
                {
                    Directory.CreateDirectory(folder);
                }

                if (binary)
                {
                    BinaryEventLog.Write(path, log, parse.GetValue(noSources) ? default : SegmentCodes(log, seedValue));
                }
                else
                {
                    WriteCsv(path, log, def, seedValue, !parse.GetValue(noSources));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"{path}: cannot write the file: {ex.Message}", ex);
            }

            context.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Generated {log.Count:N0} events of {log.EntityIdLimit:N0} entities (seed {seedValue}) in {generated:0.000} s; wrote {path} ({new FileInfo(path).Length:N0} bytes) in {clock.Elapsed.TotalSeconds:0.000} s."));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The segment code of every event: the index of its entity's source in <see cref="Sources"/>.</summary>
    private static System.Collections.Immutable.ImmutableArray<int> SegmentCodes(TransitionLog log, ulong seed)
    {
        var byEntity = new int[log.EntityIdLimit];
        for (var id = 0; id < byEntity.Length; id++)
        {
            var name = SourceOf(id, seed);
            byEntity[id] = Array.FindIndex(Sources, s => s.Name == name);
        }

        var codes = new int[log.Count];
        var ids = log.EntityIds;
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = byEntity[ids[i]];
        }

        return System.Collections.Immutable.ImmutableArray.Create(codes);
    }

    /// <summary>The source of an entity: a pure function of the seed and the entity id, independent of its journey.</summary>
    internal static string SourceOf(int entityId, ulong seed)
    {
        var z = unchecked(seed ^ ((ulong)entityId * 0x9E3779B97F4A7C15UL) ^ 0x5DEECE66DUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        var u = (z >> 11) * (1.0 / (1UL << 53));
        var cumulative = 0.0;
        foreach (var (name, weight) in Sources)
        {
            cumulative += weight;
            if (u < cumulative)
            {
                return name;
            }
        }

        return Sources[^1].Name;
    }

    private static void WriteCsv(string path, TransitionLog log, FunnelDefinition definition, ulong seed, bool withSources)
    {
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), bufferSize: 1 << 16);
        writer.NewLine = "\n";
        writer.WriteLine(withSources ? "entity,stage,timestamp,loss_reason,source" : "entity,stage,timestamp,loss_reason");
        var stageKeys = definition.Stages.Select(s => s.Key.ToString()).ToArray();
        var reasonKeys = definition.LossReasons.Select(r => r.Key.ToString()).ToArray();
        var sources = new string[log.EntityIdLimit];
        var ids = log.EntityIds;
        var stages = log.Stages;
        var times = log.Timestamps;
        var reasons = log.LossReasons;
        Span<char> stamp = stackalloc char[32];
        for (var i = 0; i < log.Count; i++)
        {
            var id = ids[i];
            writer.Write(id.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(stageKeys[stages[i]]);
            writer.Write(',');
            DateTimeOffset.FromUnixTimeSeconds(times[i]).UtcDateTime.TryFormat(stamp, out var written, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            writer.Write(stamp[..written]);
            writer.Write(',');
            if (reasons[i] != TransitionLog.NoLossReason)
            {
                writer.Write(reasonKeys[reasons[i]]);
            }

            if (withSources)
            {
                writer.Write(',');
                writer.Write(sources[id] ??= SourceOf(id, seed));
            }

            writer.WriteLine();
        }
    }
}
