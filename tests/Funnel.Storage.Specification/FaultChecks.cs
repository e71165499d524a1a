using Funnel.Core;
using Funnel.Core.Storage;

namespace Funnel.Storage.Specification;

/// <summary>What the fault tests check after every fault: the acknowledged saves are there, and nothing is half-written.</summary>
public static class FaultChecks
{
    /// <summary>
    /// Checks a store after a fault. Every acknowledged (journey, version) is stored at that version or a later one
    /// (a save can commit and its writer die before acknowledging it); every stored journey equals the workload's
    /// state at its version (history, attributes, attempts and all); and the outbox holds exactly one message per
    /// stored save of each journey — none missing, none extra, none twice.
    /// </summary>
    /// <param name="store">The store, opened after the fault.</param>
    /// <param name="journeyIds">Every id the writers used.</param>
    /// <param name="acknowledged">The highest acknowledged version per journey id.</param>
    /// <returns>The number of saves (inserts included) the store holds.</returns>
    public static async Task<int> AssertConsistentAsync(JourneyStore store, IEnumerable<string> journeyIds, IReadOnlyDictionary<string, long> acknowledged)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(journeyIds);
        ArgumentNullException.ThrowIfNull(acknowledged);
        var expectedPayloads = new List<string>();
        foreach (var id in journeyIds)
        {
            var loaded = await store.LoadAsync(id);
            if (acknowledged.TryGetValue(id, out var acked))
            {
                Assert.True(loaded is not null, $"Journey '{id}' was acknowledged at version {acked} but is not stored.");
                Assert.True(loaded.Version >= acked, $"Journey '{id}' was acknowledged at version {acked} but the store holds version {loaded.Version}: an acknowledged save was lost.");
            }

            if (loaded is null)
            {
                continue;
            }

            var expected = FaultWorkload.Expected(id, loaded.Version);
            Assert.True(expected is not null, $"Journey '{id}' is stored at version {loaded.Version}, which no sequence of whole saves reaches: a save was half-written.");
            Assert.True(expected.Equals(loaded), $"Journey '{id}' at version {loaded.Version} differs from the state its saves produce: a save was half-written.\nexpected: {Describe(expected)}\nstored:   {Describe(loaded)}");
            Assert.Equal(expected.History.ToArray(), (await store.GetHistoryAsync(id)).ToArray());
            for (var version = 0L; version <= loaded.Version; version += FaultWorkload.VersionsPerSave)
            {
                expectedPayloads.Add(FaultWorkload.Payload(id, version));
            }
        }

        var outbox = await store.ReadOutboxAsync(100_000, includeAcknowledged: true);
        Assert.True(outbox.Count < 100_000, "The fault workload wrote more outbox messages than one read returns; keep the runs shorter.");
        Assert.All(outbox, entry =>
        {
            Assert.Equal(FaultWorkload.MessageType, entry.Message.Type);
            Assert.Equal(FaultWorkload.Payload(entry.JourneyId, entry.JourneyVersion), entry.Message.Payload);
        });
        var duplicated = outbox.GroupBy(entry => entry.Message.Payload).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        Assert.True(duplicated.Count == 0, "Outbox messages stored twice: " + string.Join(", ", duplicated));
        var stored = outbox.Select(entry => entry.Message.Payload).ToHashSet(StringComparer.Ordinal);
        var missing = expectedPayloads.Where(payload => !stored.Contains(payload)).ToList();
        Assert.True(missing.Count == 0, "Saves stored without their outbox message: " + string.Join(", ", missing));
        var extra = stored.Except(expectedPayloads, StringComparer.Ordinal).ToList();
        Assert.True(extra.Count == 0, "Outbox messages of saves that are not stored: " + string.Join(", ", extra));
        return expectedPayloads.Count;
    }

    private static string Describe(Journey journey) =>
        $"{journey} v{journey.Version}, {journey.History.Length} history entries, " +
        $"attributes [{string.Join(", ", journey.Attributes.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Key + "=" + pair.Value))}], " +
        $"attempts [{string.Join(", ", journey.Attempts.Select(pair => pair.Key + "=" + pair.Value))}]";
}
