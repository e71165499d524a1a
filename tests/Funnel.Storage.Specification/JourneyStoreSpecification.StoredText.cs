using System.Collections.Immutable;
using System.Text;
using Funnel.Core;
using Funnel.Core.Storage;

namespace Funnel.Storage.Specification;

/// <summary>
/// Issue 18, defects 2 and 6, run against every store. Defect 2: PostgreSQL refused text that validation accepted
/// (an attribute value of ~2.7 kB or more broke the B-tree index on (name, value); journey ids and attribute names
/// are keys of B-tree indexes too). Defect 6: lone surrogates and NUL characters behaved differently per store
/// (SQLite stored distinct ids as the same row, PostgreSQL threw <see cref="EncoderFallbackException"/>, neither
/// named the field). The rules (docs/storage.md, "Text rules"): free text up to
/// <see cref="JourneyStoreOptions.MaxTextLength"/> characters, keys also at most
/// <see cref="JourneyStoreOptions.MaxKeyByteLength"/> UTF-8 bytes, no NUL and no unpaired surrogate anywhere —
/// refused before anything is written, with an <see cref="ArgumentException"/> naming the field.
/// </summary>
public abstract partial class JourneyStoreSpecification
{
    /// <summary>
    /// Text of exactly <paramref name="length"/> characters that does not compress (random letters from several
    /// scripts, 1 to 3 bytes each in UTF-8, and a surrogate pair now and then) — what defeats PostgreSQL's
    /// compression of index entries; deterministic per seed.
    /// </summary>
    protected static string LongText(int length, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            var pick = random.Next(10);
            if (pick == 0 && text.Length + 2 <= length)
            {
                text.Append(char.ConvertFromUtf32(0x1F600 + random.Next(64))); // an emoji: a valid surrogate pair
            }
            else
            {
                text.Append(pick switch
                {
                    < 4 => (char)random.Next(0x21, 0x7F),    // ASCII, 1 byte
                    < 7 => (char)random.Next(0x0400, 0x0500), // Cyrillic, 2 bytes
                    _ => (char)random.Next(0x4E00, 0x9FA0),   // CJK, 3 bytes
                });
            }
        }

        return text.ToString();
    }

    /// <summary>A key of exactly <paramref name="bytes"/> UTF-8 bytes: 3-byte CJK characters, then ASCII to make up the rest.</summary>
    protected static string KeyOfBytes(int bytes, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < bytes / 3; i++)
        {
            text.Append((char)random.Next(0x4E00, 0x9FA0));
        }

        for (var i = 0; i < bytes % 3; i++)
        {
            text.Append((char)random.Next('a', 'z' + 1));
        }

        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(text.ToString()));
        return text.ToString();
    }

    [Fact]
    public async Task TextLimit_EveryFieldAtTheLimit_IsStoredLoadedAndQueried()
    {
        var store = NewStore();
        var max = JourneyStoreOptions.DefaultMaxTextLength;
        var id = KeyOfBytes(JourneyStoreOptions.MaxKeyByteLength, 1);
        var name = KeyOfBytes(JourneyStoreOptions.MaxKeyByteLength, 2);
        var value = LongText(max, 3);
        Assert.True(Encoding.UTF8.GetByteCount(value) > 2704 * 3, "the value is far beyond a B-tree entry");
        var journey = Journey.Start(Pipeline, id, T0, LongText(max, 4), [KeyValuePair.Create(name, value)])
            .MoveTo("proposal", T0.AddHours(1), LongText(max, 5), LongText(max, 6)).GetJourneyOrThrow();
        var forced = new MoveOverride(LongText(max, 7), LongText(max, 8), [new MoveViolation("rule", LongText(max, 9))]);
        var withAudit = Journey.Restore(
            Pipeline, id, "deciding", JourneyStatus.Open, default, T0.AddHours(2), T0.AddHours(2), null,
            [.. journey.History, new JourneyTransition(MoveKind.Move, "proposal", "deciding", T0.AddHours(2), null, null, default, forced)],
            journey.Attributes, [], 2);

        Assert.Equal(SaveOutcome.Saved, (await store.InsertAsync(journey)).Outcome);
        Assert.Equal(SaveOutcome.Saved, (await store.SaveAsync(withAudit, journey.Version)).Outcome);

        Assert.Equal(withAudit, await store.LoadAsync(id));
        Assert.Equal([id], (await store.QueryAsync(JourneyQuery.All.WithAttribute(name, value))).Select(j => j.Id));
        Assert.Equal([id], (await store.QueryAsync(JourneyQuery.All.After(KeyOfBytes(JourneyStoreOptions.MaxKeyByteLength - 1, 1)))).Select(j => j.Id));
        Assert.Empty(await store.QueryAsync(JourneyQuery.All.WithAttribute(name, value[..^1] + "x")));
    }

    [Fact]
    public async Task TextLimit_OnePastTheLimitInAnyField_ThrowsNamingTheFieldAndStoresNothing()
    {
        var store = NewStore();
        var max = JourneyStoreOptions.DefaultMaxTextLength;
        var tooLong = LongText(max + 1, 10);
        var tooLongKey = KeyOfBytes(JourneyStoreOptions.MaxKeyByteLength + 1, 11);
        var cases = new (string Field, Journey Journey)[]
        {
            ("journey id", Journey.Start(Pipeline, tooLongKey, T0)),
            ("attribute name", Journey.Start(Pipeline, "k1", T0, null, [KeyValuePair.Create(tooLongKey, "v")])),
            ("value of attribute 'notes'", Journey.Start(Pipeline, "k2", T0, null, [KeyValuePair.Create("notes", tooLong)])),
            ("actor of history entry 0", Journey.Start(Pipeline, "k3", T0, tooLong)),
            ("note of history entry 1", Journey.Start(Pipeline, "k4", T0).MoveTo("proposal", T0.AddHours(1), "ann", tooLong).GetJourneyOrThrow()),
            ("override reason of history entry 1", Forced("k5", new MoveOverride("boss", tooLong, []))),
            ("message of overridden violation 0 of history entry 1", Forced("k6", new MoveOverride("boss", "why", [new MoveViolation("r", tooLong)]))),
        };

        foreach (var (field, journey) in cases)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => store.InsertAsync(journey));
            Assert.Contains("The " + field + " of journey", error.Message, StringComparison.Ordinal);
            Assert.Contains(field == "journey id" || field == "attribute name" ? "1025 bytes" : "4097 characters", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await store.QueryAsync(JourneyQuery.All));
    }

    [Fact]
    public async Task NulAndLoneSurrogate_InAnyKeyOrText_ThrowsNamingTheFieldAndStoresNothing()
    {
        var store = NewStore();
        foreach (var (bad, what) in new[] { ("a\0b", "NUL character (U+0000) at index 1"), ("a\uD800b", "unpaired surrogate (U+D800) at index 1"), ("ab\uDC00", "unpaired surrogate (U+DC00) at index 2") })
        {
            var cases = new (string Field, Journey Journey)[]
            {
                ("journey id", Journey.Start(Pipeline, bad, T0)),
                ("attribute name", Journey.Start(Pipeline, "s1", T0, null, [KeyValuePair.Create(bad, "v")])),
                ("value of attribute 'owner'", Journey.Start(Pipeline, "s2", T0, null, [KeyValuePair.Create("owner", bad)])),
                ("actor of history entry 0", Journey.Start(Pipeline, "s3", T0, bad)),
                ("note of history entry 1", Journey.Start(Pipeline, "s4", T0).MoveTo("proposal", T0.AddHours(1), null, bad).GetJourneyOrThrow()),
                ("override actor of history entry 1", Forced("s5", new MoveOverride(bad, "why", []))),
                ("override reason of history entry 1", Forced("s6", new MoveOverride("boss", bad, []))),
                ("data name of overridden violation 0 of history entry 1", Forced("s7", new MoveOverride("boss", "why", [new MoveViolation("r", "m", ImmutableDictionary<string, string>.Empty.Add(bad, "x"))]))),
            };

            foreach (var (field, journey) in cases)
            {
                var error = await Assert.ThrowsAsync<ArgumentException>(() => store.InsertAsync(journey));
                Assert.Contains("The " + field + " of journey", error.Message, StringComparison.Ordinal);
                Assert.Contains(what, error.Message, StringComparison.Ordinal);
            }

            // Lookups with such text can match nothing stored: refused too, instead of matching a different row.
            await Assert.ThrowsAsync<ArgumentException>(() => store.LoadAsync(bad));
            await Assert.ThrowsAsync<ArgumentException>(() => store.GetHistoryAsync(bad));
            await Assert.ThrowsAsync<ArgumentException>(() => store.QueryAsync(JourneyQuery.All.OwnedBy(bad)));
            await Assert.ThrowsAsync<ArgumentException>(() => store.QueryAsync(JourneyQuery.All.After(bad)));
        }

        Assert.Empty(await store.QueryAsync(JourneyQuery.All));
    }

    [Fact]
    public async Task NulAndLoneSurrogate_DistinctIdsThatOnlyDifferThere_AreNeverStoredAsOneRow()
    {
        // SQLite used to encode both unpaired surrogates as U+FFFD, so these two journeys became one row.
        var store = NewStore();
        var replacement = Journey.Start(Pipeline, "lead-\uFFFD", T0, "ann");
        Assert.Equal(SaveOutcome.Saved, (await store.InsertAsync(replacement)).Outcome);

        await Assert.ThrowsAsync<ArgumentException>(() => store.InsertAsync(Journey.Start(Pipeline, "lead-\uD800", T0, "bob")));
        await Assert.ThrowsAsync<ArgumentException>(() => store.InsertAsync(Journey.Start(Pipeline, "lead-\uDBFF", T0, "eve")));

        Assert.Equal(replacement, await store.LoadAsync("lead-\uFFFD"));
        Assert.Equal(["lead-\uFFFD"], (await store.QueryAsync(JourneyQuery.All)).Select(j => j.Id));
    }

    [Fact]
    public async Task NulAndLoneSurrogate_InEventEntityOrSegment_ThrowsNamingTheEventAndStoresNothing()
    {
        var log = NewEventLog();
        var good = new FunnelEvent("a", "request", T0);

        var nul = await Assert.ThrowsAsync<FunnelStorageException>(() => log.AppendAsync(Pipeline, [good, new FunnelEvent("b\0", "request", T0)]));
        var lone = await Assert.ThrowsAsync<FunnelStorageException>(() => log.AppendAsync(Pipeline, [good, good, new FunnelEvent("c", "request", T0, segment: "ads\uDC00")]));

        Assert.Contains("Event 1", nul.Message, StringComparison.Ordinal);
        Assert.Contains("entity id contains a NUL character", nul.Message, StringComparison.Ordinal);
        Assert.Contains("Event 2", lone.Message, StringComparison.Ordinal);
        Assert.Contains("segment contains an unpaired surrogate", lone.Message, StringComparison.Ordinal);
        Assert.Equal(0, await log.CountAsync(Pipeline));
    }

    private static Journey Forced(string id, MoveOverride audit)
    {
        var start = Journey.Start(Pipeline, id, T0);
        return Journey.Restore(
            Pipeline, id, "proposal", JourneyStatus.Open, default, T0.AddHours(1), T0.AddHours(1), null,
            [start.History[0], new JourneyTransition(MoveKind.Move, "request", "proposal", T0.AddHours(1), "ann", null, default, audit)],
            [], [], 1);
    }
}
