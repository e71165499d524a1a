namespace Funnel.Core.Tests.Templates;

public class FunnelTemplatesTests
{
    [Fact]
    public void All_BuildAndValidate_WithUniqueKeys()
    {
        Assert.Equal(5, FunnelTemplates.All.Length);
        Assert.Equal(FunnelTemplates.All.Length, FunnelTemplates.All.Select(t => t.Key).Distinct().Count());
        foreach (var template in FunnelTemplates.All)
        {
            Assert.True(template.ToBuilder().TryBuild(out _, out var problems), string.Join("; ", problems));
            Assert.Equal(LossReasonCatalog.Standard.Length, template.LossReasons.Length);
        }
    }

    [Fact]
    public void Aida_HasTheFourStagesAndWinsAtAction()
    {
        var aida = FunnelTemplates.Aida;
        Assert.Equal(["attention", "interest", "desire", "action"], aida.Stages.Select(s => s.Key.Value));
        Assert.Equal("action", aida.GoalStage.Key.Value);
        Assert.Contains("cart", aida.GetStage("desire").DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public void FiveStage_HasRepeatPurchaseAfterTheGoal()
    {
        var five = FunnelTemplates.FiveStage;
        Assert.Equal(["attraction", "interest", "evaluation", "purchase", "repeat-purchase"], five.Stages.Select(s => s.Key.Value));
        Assert.Equal("purchase", five.GoalStage.Key.Value);
    }

    [Fact]
    public void CustomerJourney_HasTheChannelsPerStage()
    {
        var journey = FunnelTemplates.CustomerJourney;
        Assert.Equal(["awareness", "research", "engagement", "convert", "post-purchase", "advocacy"], journey.Stages.Select(s => s.Key.Value));
        Assert.Equal([Channels.Mass, Channels.OutOfHome, Channels.Tv, Channels.Radio, Channels.Print], journey.GetStage("awareness").Channels.ToArray());
        Assert.Equal([Channels.Digital, Channels.PointOfSale, Channels.Mobile, Channels.DirectResponse, Channels.Print, Channels.Tv], journey.GetStage("research").Channels.ToArray());
        Assert.Equal([Channels.Digital, Channels.PointOfSale], journey.GetStage("engagement").Channels.ToArray());
        Assert.Equal([Channels.Digital, Channels.PointOfSale, Channels.Mobile, Channels.DirectMail], journey.GetStage("convert").Channels.ToArray());
        Assert.Equal([Channels.Digital, Channels.Mobile, Channels.DirectMail, Channels.WordOfMouth], journey.GetStage("post-purchase").Channels.ToArray());
        Assert.Equal([Channels.Digital, Channels.WordOfMouth], journey.GetStage("advocacy").Channels.ToArray());
        Assert.Equal(FunnelPhase.Top, journey.GetStage("awareness").Phase);
        Assert.Equal(FunnelPhase.Bottom, journey.GetStage("convert").Phase);
    }

    [Fact]
    public void B2BPipeline_HasTechnicalAndKeyStages()
    {
        var b2b = FunnelTemplates.B2BPipeline;
        Assert.Equal(StageKind.Technical, b2b.GetStage("request").Kind);
        Assert.Equal(StageKind.Technical, b2b.GetStage("proposal-sent").Kind);
        Assert.Equal(StageKind.Technical, b2b.GetStage("proposal-read").Kind);
        Assert.Equal(StageKind.Key, b2b.GetStage("invoice-issued").Kind);
        Assert.Equal(StageKind.Key, b2b.GetStage("deciding").Kind);
        Assert.Equal(["amount"], b2b.GetStage("invoice-issued").RequiredAttributes.ToArray());
    }

    [Fact]
    public void RealEstate_ForbidsSkippingShowings()
    {
        var estate = FunnelTemplates.RealEstate;
        Assert.Equal(["processing", "plans-sent", "showing", "second-showing", "alternative-offer", "deal"], estate.Stages.Select(s => s.Key.Value));
        Assert.False(estate.IsTransitionAllowed("plans-sent", "second-showing"));
        Assert.False(estate.IsTransitionAllowed("processing", "deal"));
        Assert.True(estate.IsTransitionAllowed("second-showing", "deal"));
    }

    [Fact]
    public void TryGet_FindsByKeyIgnoringCase()
    {
        Assert.True(FunnelTemplates.TryGet("AIDA", out var aida));
        Assert.Same(FunnelTemplates.Aida, aida);
        Assert.False(FunnelTemplates.TryGet("nope", out _));
    }
}
