using System.Text;
using System.Text.Json;
using Funnel.Core;
using Funnel.Core.Bulk;
using Funnel.Core.Metrics;
using Funnel.Serialization.Json;
using SharpFuzz;

// Usage: Funnel.Fuzz <csv|csvfile|binary|json>   (run by afl-fuzz on an instrumented build; see eng/fuzz.sh)
//        Funnel.Fuzz seed <folder>               (writes the seed inputs; uninstrumented build only)
// A reader's result or its documented exception with a location is fine; anything else escapes and is a crash.
if (args is not [var target, ..])
{
    Console.Error.WriteLine("usage: Funnel.Fuzz <csv|csvfile|binary|json> | seed <folder>");
    return 2;
}

if (target == "seed")
{
    WriteSeeds(args[1]);
    return 0;
}

// Instrumented code may run only inside Fuzzer.OutOfProcess.Run: it writes to AFL's shared memory.
FunnelDefinition[]? definitions = null;
JsonSerializerOptions? options = null;
var csvFile = Path.Combine(Path.GetTempPath(), $"funnel-fuzz-{Environment.ProcessId}.csv");
Fuzzer.OutOfProcess.Run(stream =>
{
    definitions ??= [.. FunnelTemplates.All];
    options ??= new JsonSerializerOptions().ConfigureForFunnel(f => f.AddDefinitions(FunnelTemplates.All));
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    var bytes = buffer.ToArray();
    switch (target)
    {
        case "csv":
            Csv(() =>
            {
                using var text = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                var reader = new TransitionLogCsvReader(text, FunnelTemplates.Aida, new TransitionLogCsvOptions { MaxRowLength = 200 });
                while (reader.ReadChunk(3) is not null)
                {
                }
            });
            break;
        case "csvfile":
            File.WriteAllBytes(csvFile, bytes);
            Csv(() => TransitionLogCsvReader.ReadFile(csvFile, FunnelTemplates.Aida));
            break;
        case "binary":
            try
            {
                TransitionLogBinaryFormat.Read(new MemoryStream(bytes));
            }
            catch (TransitionLogFormatException e) when (e.ByteOffset is not null)
            {
            }

            break;
        case "json":
            var text = Encoding.UTF8.GetString(bytes);
            FunnelJsonRead(() => FunnelJson.ReadDefinitionDocument(bytes));
            FunnelJsonRead(() => FunnelJson.ReadJourney(text, definitions));
            FunnelJsonRead(() => FunnelJson.ReadEvents(text));
            FunnelJsonRead(() => FunnelJson.ReadReport(text, definitions));
            SerializerRead(() => JsonSerializer.Deserialize<Journey>(bytes, options));
            SerializerRead(() => JsonSerializer.Deserialize<FunnelReport>(bytes, options));
            break;
        default:
            throw new ArgumentException($"Unknown target '{target}'.", nameof(args));
    }
});
return 0;

static void Csv(Action read)
{
    try
    {
        read();
    }
    catch (TransitionLogFormatException e) when (e.LineNumber is not null)
    {
    }
}

static void FunnelJsonRead(Action read)
{
    try
    {
        read();
    }
    catch (FunnelJsonException e) when (e.Problems.All(p => p.Path.StartsWith('$') && p.Line > 0 && p.Position > 0))
    {
    }
}

static void SerializerRead(Action read)
{
    try
    {
        read();
    }
    catch (JsonException)
    {
    }
}

static void WriteSeeds(string folder)
{
    var aida = FunnelTemplates.Aida;
    var t0 = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    Directory.CreateDirectory(Path.Combine(folder, "csv"));
    Directory.CreateDirectory(Path.Combine(folder, "binary"));
    Directory.CreateDirectory(Path.Combine(folder, "json"));
    File.WriteAllText(Path.Combine(folder, "csv", "1.csv"), "entity,stage,timestamp,loss_reason\na,attention,1767225600,\n\"b,1\",interest,2026-01-01T00:00:00Z,price\n");
    File.WriteAllText(Path.Combine(folder, "csv", "2.csv"), "\uFEFFentity,stage,timestamp,segment\r\nx,0,12.5,ads\r\n\"multi\nline\",desire,-5,\r\n", Encoding.UTF8);
    var log = new TransitionLogBuilder(withSegments: true).Add(0, 0, 100, segment: 0).Add(1, 1, 200, lossReason: 2).Add(0, 2, 300).Build();
    TransitionLogBinaryFormat.WriteFile(log, Path.Combine(folder, "binary", "1.ftl"));
    var journey = Journey.Start(aida, "lead-1", t0, "ann", [KeyValuePair.Create("source", "ads")]).MoveTo("interest", t0.AddHours(1)).Journey!
        .MarkLost("price", t0.AddHours(2), "bob", "too dear").Journey!;
    FunnelEvent[] events = [new("a", "attention", t0), new("a", "interest", t0.AddHours(1), segment: "ads"), new("b", "attention", t0, new LossReasonKey("price"))];
    File.WriteAllText(Path.Combine(folder, "json", "definition.json"), FunnelJson.WriteDefinition(FunnelTemplates.B2BPipeline, indented: false));
    File.WriteAllText(Path.Combine(folder, "json", "journey.json"), FunnelJson.WriteJourney(journey, indented: false));
    File.WriteAllText(Path.Combine(folder, "json", "events.json"), FunnelJson.WriteEvents(events, indented: false));
    File.WriteAllText(Path.Combine(folder, "json", "report.json"), FunnelJson.WriteReport(FunnelReport.Compute(aida, events), indented: false));
}
