using System.Globalization;
using Funnel.Storage.Specification;
using Funnel.Storage.Sqlite;

// Usage: Funnel.Storage.Sqlite.CrashWriter <database file> <journeys> <seed>
// Saves FaultWorkload journeys in a loop (a random journey each time: insert its start or save its next state) and
// writes "ack <journey id> <version>" to stdout after each save has returned Saved. Runs until killed; stops by
// itself after two minutes so that a test that fails to kill it never leaves it behind.
if (args.Length != 3
    || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var journeys) || journeys < 1
    || !int.TryParse(args[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed))
{
    await Console.Error.WriteLineAsync("usage: Funnel.Storage.Sqlite.CrashWriter <database file> <journeys> <seed>");
    return 2;
}

var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true, NewLine = "\n" };
await using var store = new SqliteJourneyStore("Data Source=" + args[0], FaultWorkload.Options);
await store.EnsureCreatedAsync();
await output.WriteLineAsync("ready");
var random = new Random(seed);
using var lifetime = new CancellationTokenSource(TimeSpan.FromMinutes(2));
while (!lifetime.IsCancellationRequested)
{
    var id = FaultWorkload.JourneyId(random.Next(journeys));
    var result = await FaultWorkload.SaveNextAsync(store, id);
    if (!result.Succeeded)
    {
        // One writer: nobody else can move the journey between the load and the save.
        await Console.Error.WriteLineAsync($"unexpected {result.Outcome} saving {id}");
        return 1;
    }

    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ack {id} {result.StoredVersion}"));
}

return 3;
