using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

public sealed class TransitionLogToEventsTests
{
    private static readonly FunnelDefinition Aida = FunnelTemplates.Aida;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ToEvents_Interners_ConvertsEveryRowInLogOrder()
    {
        var entities = new EntityInterner<string>();
        var segments = new EntityInterner<string>();
        var (lead1, lead2, ads) = (entities.Intern("lead-1"), entities.Intern("lead-2"), segments.Intern("ads"));
        var t = Start.ToUnixTimeSeconds();
        var log = new TransitionLogBuilder(withSegments: true)
            .Add(lead2, 1, t + 60, segment: ads)
            .Add(lead1, 0, t)
            .Add(lead2, 2, t + 120, lossReason: 3, segment: TransitionLog.NoSegment)
            .Build();

        var events = log.ToEvents(Aida, entities, segments);

        FunnelEvent[] expected =
        [
            new("lead-2", "interest", Start.AddMinutes(1), segment: "ads"),
            new("lead-1", "attention", Start),
            new("lead-2", "desire", Start.AddMinutes(2), Aida.LossReasons[3].Key),
        ];
        Assert.Equal(expected, events);
        Assert.All(events, e => Assert.Equal(TimeSpan.Zero, e.At.Offset));
        Assert.Null(events[2].Segment);
    }

    [Fact]
    public void ToEvents_KeyLists_EqualsTheInternerOverload()
    {
        var entities = new EntityInterner<string>();
        var segments = new EntityInterner<string>();
        FunnelEvent[] original =
        [
            new("a", "attention", Start, segment: "seo"),
            new("b", "interest", Start.AddSeconds(5), segment: "ads"),
            new("a", "attention", Start.AddSeconds(9), Aida.LossReasons[0].Key),
        ];
        var log = TransitionLog.FromEvents(original, Aida, entities, segments);

        var fromLists = log.ToEvents(Aida, entities.ToImmutableArray(), segments.ToImmutableArray());

        Assert.Equal(log.ToEvents(Aida, entities, segments), fromLists);
        Assert.Equal(original, fromLists);
    }

    [Fact]
    public void ToEvents_LogWithoutSegments_GivesNoSegmentAndIgnoresSegmentKeys()
    {
        var log = new TransitionLogBuilder().Add(0, 3, 0).Build();

        var events = log.ToEvents(Aida, ["x"], ["unused"]);

        Assert.Equal([new FunnelEvent("x", "action", DateTimeOffset.UnixEpoch)], events);
        Assert.Equal(events, log.ToEvents(Aida, ["x"]));
    }

    [Fact]
    public void ToEvents_EmptyLog_IsEmpty()
    {
        Assert.Empty(TransitionLog.Empty.ToEvents(Aida, new EntityInterner<string>()));
    }

    [Fact]
    public void ToEvents_NullArguments_ThrowNamingTheParameter()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 0).Build();
        var entities = new EntityInterner<string>();
        entities.Intern("a");

        Assert.Equal("definition", Assert.Throws<ArgumentNullException>(() => log.ToEvents(null!, entities)).ParamName);
        Assert.Equal("definition", Assert.Throws<ArgumentNullException>(() => log.ToEvents(null!, ["a"])).ParamName);
        Assert.Equal("entities", Assert.Throws<ArgumentNullException>(() => log.ToEvents(Aida, (EntityInterner<string>)null!)).ParamName);
        Assert.Equal("entityKeys", Assert.Throws<ArgumentNullException>(() => log.ToEvents(Aida, (IReadOnlyList<string>)null!)).ParamName);
    }

    [Fact]
    public void ToEvents_LogWithSegmentsButNoSegmentKeys_Throws()
    {
        var log = new TransitionLogBuilder(withSegments: true).Add(0, 0, 0, segment: TransitionLog.NoSegment).Build();
        var entities = new EntityInterner<string>();
        entities.Intern("a");

        var fromInterner = Assert.Throws<ArgumentNullException>(() => log.ToEvents(Aida, entities));
        var fromList = Assert.Throws<ArgumentNullException>(() => log.ToEvents(Aida, ["a"]));

        Assert.Equal("segments", fromInterner.ParamName);
        Assert.Equal("segmentKeys", fromList.ParamName);
        Assert.Contains("segment column", fromList.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToEvents_StageOrdinalOutsideTheDefinition_ThrowsNamingRowAndOrdinal()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 0).Add(0, 4, 1).Build();

        var error = Assert.Throws<ArgumentException>(() => log.ToEvents(Aida, ["a"]));

        Assert.Equal("definition", error.ParamName);
        Assert.Contains("Row 1: the stage ordinal 4 is not a stage of 'aida'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToEvents_LossReasonOrdinalOutsideTheDefinition_ThrowsNamingRowAndOrdinal()
    {
        var tooLarge = (short)Aida.LossReasons.Length;
        var log = new TransitionLogBuilder().Add(0, 0, 0).Add(0, 1, 1).Add(0, 1, 2, lossReason: tooLarge).Build();

        var error = Assert.Throws<ArgumentException>(() => log.ToEvents(Aida, ["a"]));

        Assert.Equal("definition", error.ParamName);
        Assert.Contains($"Row 2: the loss-reason ordinal {tooLarge} is not a loss reason of 'aida'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToEvents_UnknownEntityId_ThrowsNamingTheRow()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 0).Add(3, 0, 1).Build();
        var entities = new EntityInterner<string>();
        entities.Intern("a");

        var fromInterner = Assert.Throws<ArgumentException>(() => log.ToEvents(Aida, entities));
        var fromList = Assert.Throws<ArgumentException>(() => log.ToEvents(Aida, ["a", "b"]));

        Assert.Equal("entities", fromInterner.ParamName);
        Assert.Contains("Row 1: the entity id 3 has no key; 1 entity keys were given", fromInterner.Message, StringComparison.Ordinal);
        Assert.Equal("entityKeys", fromList.ParamName);
        Assert.Contains("Row 1: the entity id 3", fromList.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToEvents_BlankEntityKey_ThrowsNamingTheRow()
    {
        var log = new TransitionLogBuilder().Add(0, 0, 0).Add(1, 0, 1).Build();

        var error = Assert.Throws<ArgumentException>(() => log.ToEvents(Aida, ["a", " "]));

        Assert.Equal("entityKeys", error.ParamName);
        Assert.Contains("Row 1: the entity id 1 maps to a blank key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToEvents_UnknownSegmentCode_ThrowsNamingTheRow()
    {
        var log = new TransitionLogBuilder(withSegments: true).Add(0, 0, 0, segment: 0).Add(0, 1, 1, segment: 2).Build();
        var segments = new EntityInterner<string>();
        segments.Intern("seo");

        var unknownCode = Assert.Throws<ArgumentException>(() => log.ToEvents(Aida, ["a"], segments.ToImmutableArray()));
        var noKeys = Assert.Throws<ArgumentException>(() => log.ToEvents(Aida, ["a"], []));

        Assert.Equal("segmentKeys", unknownCode.ParamName);
        Assert.Contains("Row 1: the segment code 2 has no key; 1 segment keys were given", unknownCode.Message, StringComparison.Ordinal);
        Assert.Contains("Row 0: the segment code 0 has no key; 0 segment keys were given", noKeys.Message, StringComparison.Ordinal);
    }

    [Property(MaxTest = 300)]
    public Property ToEvents_AfterFromEvents_GivesTheEventsBack()
    {
        var property = Prop.ForAll(TransitionLogEventGenerators.RoundTripCase.ToArbitrary(), c =>
        {
            var (definition, events, withSegments) = c;
            var entities = new EntityInterner<string>();
            var segments = withSegments ? new EntityInterner<string>() : null;

            var log = TransitionLog.FromEvents(events, definition, entities, segments);
            var back = log.ToEvents(definition, entities, segments);

            Assert.Equal(events, back);
            Assert.All(back, e => Assert.Equal(TimeSpan.Zero, e.At.Offset));
            Assert.Equal(back, log.ToEvents(definition, entities.ToImmutableArray(), segments?.ToImmutableArray()));
        });

        return property;
    }
}
