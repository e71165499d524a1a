using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Funnel.Core;

/// <summary>
/// Ready, validated funnel definitions for the classic shapes: AIDA, the five-stage funnel, the customer journey
/// with channels, a B2B CRM pipeline and a real-estate pipeline. Each carries the standard loss-reason catalog.
/// Derive a changed funnel from one with <see cref="FunnelDefinition.ToBuilder"/>.
/// </summary>
/// <remarks>Every template is created once and shared; definitions are immutable and thread-safe.</remarks>
public static class FunnelTemplates
{
    private static readonly Lazy<FunnelDefinition> LazyAida = new(CreateAida);
    private static readonly Lazy<FunnelDefinition> LazyFiveStage = new(CreateFiveStage);
    private static readonly Lazy<FunnelDefinition> LazyCustomerJourney = new(CreateCustomerJourney);
    private static readonly Lazy<FunnelDefinition> LazyB2BPipeline = new(CreateB2BPipeline);
    private static readonly Lazy<FunnelDefinition> LazyRealEstate = new(CreateRealEstate);

    /// <summary>
    /// Gets AIDA for an online shop: attention, interest, desire (added to cart), action (purchase, the goal).
    /// Leads may fall back one stage (from the cart to browsing).
    /// </summary>
    public static FunnelDefinition Aida => LazyAida.Value;

    /// <summary>Gets the classic five-stage funnel: attraction, interest, evaluation, purchase (the goal), repeat purchase.</summary>
    public static FunnelDefinition FiveStage => LazyFiveStage.Value;

    /// <summary>
    /// Gets the six-stage customer journey with the channels that work at each stage: awareness, research,
    /// engagement, convert (the goal), post-purchase, advocacy; grouped into TOFU / MOFU / BOFU phases.
    /// </summary>
    public static FunnelDefinition CustomerJourney => LazyCustomerJourney.Value;

    /// <summary>
    /// Gets a B2B CRM pipeline: request received, proposal sent and proposal read are technical stages (moved by
    /// automation); invoice issued and deciding are key stages; won at "won". Invoice issued requires an amount.
    /// </summary>
    public static FunnelDefinition B2BPipeline => LazyB2BPipeline.Value;

    /// <summary>
    /// Gets a real-estate pipeline: processing, plans sent, showing, second showing, alternative offer, deal (the
    /// goal). Showings may not be skipped; a deal may close straight after the second showing, and a lead may go back from an alternative offer to a showing.
    /// </summary>
    public static FunnelDefinition RealEstate => LazyRealEstate.Value;

    /// <summary>Gets every template by its definition key, in the order above.</summary>
    public static ImmutableArray<FunnelDefinition> All => [Aida, FiveStage, CustomerJourney, B2BPipeline, RealEstate];

    /// <summary>Finds a template by its definition key, such as <c>"aida"</c> (ordinal, case-insensitive).</summary>
    /// <param name="key">The template key.</param>
    /// <param name="definition">The template, when found.</param>
    /// <returns><see langword="true"/> when a template has that key.</returns>
    public static bool TryGet(string key, [NotNullWhen(true)] out FunnelDefinition? definition)
    {
        definition = All.FirstOrDefault(d => string.Equals(d.Key, key, StringComparison.OrdinalIgnoreCase));
        return definition is not null;
    }

    private static FunnelDefinition CreateAida() =>
        new FunnelDefinitionBuilder("aida", "AIDA online shop")
            .AddStage("attention", s => s.WithDisplayName("Attention").WithPhase(FunnelPhase.Top).WithOwner("Marketing").WithWinProbability(0.02))
            .AddStage("interest", s => s.WithDisplayName("Interest").WithPhase(FunnelPhase.Middle).WithOwner("Marketing").WithWinProbability(0.08))
            .AddStage("desire", s => s.WithDisplayName("Desire (added to cart)").WithPhase(FunnelPhase.Bottom).WithOwner("Sales").WithWinProbability(0.4).WithIdleLimit(TimeSpan.FromDays(1)))
            .AddStage("action", s => s.WithDisplayName("Action (purchase)").WithKind(StageKind.Key).WithPhase(FunnelPhase.Bottom).WithOwner("Sales").WithWinProbability(1))
            .WonAt("action")
            .AllowTransition("desire", "interest")
            .AddLossReasons(LossReasonCatalog.Standard)
            .Build();

    private static FunnelDefinition CreateFiveStage() =>
        new FunnelDefinitionBuilder("five-stage", "Five-stage funnel")
            .AddStage("attraction", s => s.WithDisplayName("Attraction").WithPhase(FunnelPhase.Top).WithOwner("Marketing"))
            .AddStage("interest", s => s.WithDisplayName("Interest").WithPhase(FunnelPhase.Middle).WithOwner("Marketing"))
            .AddStage("evaluation", s => s.WithDisplayName("Evaluation").WithPhase(FunnelPhase.Middle).WithOwner("Sales"))
            .AddStage("purchase", s => s.WithDisplayName("Purchase").WithKind(StageKind.Key).WithPhase(FunnelPhase.Bottom).WithOwner("Sales"))
            .AddStage("repeat-purchase", s => s.WithDisplayName("Repeat purchase").WithPhase(FunnelPhase.Retention).WithOwner("Marketing"))
            .WonAt("purchase")
            .AddLossReasons(LossReasonCatalog.Standard)
            .Build();

    private static FunnelDefinition CreateCustomerJourney() =>
        new FunnelDefinitionBuilder("customer-journey", "Customer journey")
            .AddStage("awareness", s => s.WithDisplayName("Awareness").WithPhase(FunnelPhase.Top).WithOwner("Marketing")
                .WithChannels(Channels.Mass, Channels.OutOfHome, Channels.Tv, Channels.Radio, Channels.Print))
            .AddStage("research", s => s.WithDisplayName("Research").WithPhase(FunnelPhase.Middle).WithOwner("Marketing")
                .WithChannels(Channels.Digital, Channels.PointOfSale, Channels.Mobile, Channels.DirectResponse, Channels.Print, Channels.Tv))
            .AddStage("engagement", s => s.WithDisplayName("Engagement").WithPhase(FunnelPhase.Middle).WithOwner("Sales")
                .WithChannels(Channels.Digital, Channels.PointOfSale))
            .AddStage("convert", s => s.WithDisplayName("Convert").WithKind(StageKind.Key).WithPhase(FunnelPhase.Bottom).WithOwner("Sales")
                .WithChannels(Channels.Digital, Channels.PointOfSale, Channels.Mobile, Channels.DirectMail))
            .AddStage("post-purchase", s => s.WithDisplayName("Post-purchase").WithPhase(FunnelPhase.Retention).WithOwner("Marketing")
                .WithChannels(Channels.Digital, Channels.Mobile, Channels.DirectMail, Channels.WordOfMouth))
            .AddStage("advocacy", s => s.WithDisplayName("Advocacy").WithPhase(FunnelPhase.Retention).WithOwner("Marketing")
                .WithChannels(Channels.Digital, Channels.WordOfMouth))
            .WonAt("convert")
            .AddLossReasons(LossReasonCatalog.Standard)
            .Build();

    private static FunnelDefinition CreateB2BPipeline() =>
        new FunnelDefinitionBuilder("b2b-pipeline", "B2B CRM pipeline")
            .AddStage("request", s => s.WithDisplayName("Request received").WithKind(StageKind.Technical).WithPhase(FunnelPhase.Top).WithOwner("Sales").WithWinProbability(0.1).WithIdleLimit(TimeSpan.FromHours(4)))
            .AddStage("proposal-sent", s => s.WithDisplayName("Proposal sent").WithKind(StageKind.Technical).WithPhase(FunnelPhase.Middle).WithOwner("Sales").WithWinProbability(0.2).WithIdleLimit(TimeSpan.FromDays(3)))
            .AddStage("proposal-read", s => s.WithDisplayName("Proposal read").WithKind(StageKind.Technical).WithPhase(FunnelPhase.Middle).WithOwner("Sales").WithWinProbability(0.3).WithIdleLimit(TimeSpan.FromDays(2)))
            .AddStage("invoice-issued", s => s.WithDisplayName("Invoice issued").WithKind(StageKind.Key).WithPhase(FunnelPhase.Bottom).WithOwner("Sales").WithWinProbability(0.6).WithIdleLimit(TimeSpan.FromDays(7)).RequireAttributes("amount"))
            .AddStage("deciding", s => s.WithDisplayName("Deciding").WithKind(StageKind.Key).WithPhase(FunnelPhase.Bottom).WithOwner("Sales").WithWinProbability(0.75).WithIdleLimit(TimeSpan.FromDays(14)))
            .AddStage("won", s => s.WithDisplayName("Won").WithPhase(FunnelPhase.Bottom).WithOwner("Sales").WithWinProbability(1))
            .WonAt("won")
            .AllowTransition("proposal-sent", "invoice-issued")
            .AllowTransition("deciding", "proposal-sent")
            .AddLossReasons(LossReasonCatalog.Standard)
            .Build();

    private static FunnelDefinition CreateRealEstate() =>
        new FunnelDefinitionBuilder("real-estate", "Real-estate pipeline")
            .AddStage("processing", s => s.WithDisplayName("Processing").WithPhase(FunnelPhase.Top).WithOwner("Agents").WithWinProbability(0.05).WithIdleLimit(TimeSpan.FromDays(2)))
            .AddStage("plans-sent", s => s.WithDisplayName("Plans sent").WithPhase(FunnelPhase.Middle).WithOwner("Agents").WithWinProbability(0.1).WithIdleLimit(TimeSpan.FromDays(5)))
            .AddStage("showing", s => s.WithDisplayName("Showing").WithKind(StageKind.Key).WithPhase(FunnelPhase.Middle).WithOwner("Agents").WithWinProbability(0.25).WithIdleLimit(TimeSpan.FromDays(7)))
            .AddStage("second-showing", s => s.WithDisplayName("Second showing").WithKind(StageKind.Key).WithPhase(FunnelPhase.Bottom).WithOwner("Agents").WithWinProbability(0.45).WithIdleLimit(TimeSpan.FromDays(7)))
            .AddStage("alternative-offer", s => s.WithDisplayName("Alternative offer").WithPhase(FunnelPhase.Bottom).WithOwner("Agents").WithWinProbability(0.35).WithIdleLimit(TimeSpan.FromDays(10)))
            .AddStage("deal", s => s.WithDisplayName("Deal").WithKind(StageKind.Key).WithPhase(FunnelPhase.Bottom).WithOwner("Agents").WithWinProbability(1))
            .WonAt("deal")
            .AllowTransition("second-showing", "deal")
            .AllowTransition("alternative-offer", "showing")
            .AddLossReasons(LossReasonCatalog.Standard)
            .Build();
}
