namespace Funnel.Core;

/// <summary>
/// Configures one stage while a definition is built; handed to the callback of
/// <see cref="FunnelDefinitionBuilder.AddStage(string, Action{StageBuilder}?)"/>. Values are validated by
/// <see cref="FunnelDefinitionBuilder.Build"/>, which reports every problem at once.
/// </summary>
/// <remarks>This type is mutable and not thread-safe; use it only inside the callback.</remarks>
public sealed class StageBuilder
{
    private readonly List<string> _channels = [];
    private readonly List<string> _requiredAttributes = [];

    internal StageBuilder(string key) => Key = key;

    internal StageBuilder(Stage stage)
    {
        Key = stage.Key.Value;
        DisplayName = stage.DisplayName;
        Kind = stage.Kind;
        Phase = stage.Phase;
        Owner = stage.Owner;
        _channels.AddRange(stage.Channels);
        WinProbability = stage.WinProbability;
        IdleLimit = stage.IdleLimit;
        StepWindow = stage.StepWindow;
        _requiredAttributes.AddRange(stage.RequiredAttributes);
    }

    internal string Key { get; }

    internal string? DisplayName { get; private set; }

    internal StageKind Kind { get; private set; }

    internal FunnelPhase Phase { get; private set; }

    internal string? Owner { get; private set; }

    internal IReadOnlyList<string> Channels => _channels;

    internal double? WinProbability { get; private set; }

    internal TimeSpan? IdleLimit { get; private set; }

    internal TimeSpan? StepWindow { get; private set; }

    internal IReadOnlyList<string> RequiredAttributes => _requiredAttributes;

    /// <summary>Sets the name shown to people. Defaults to the stage key.</summary>
    /// <param name="displayName">The name; when blank, the stage key is used.</param>
    /// <returns>This builder.</returns>
    public StageBuilder WithDisplayName(string? displayName)
    {
        DisplayName = displayName;
        return this;
    }

    /// <summary>Sets what the stage is for. Defaults to <see cref="StageKind.Standard"/>.</summary>
    /// <param name="kind">The kind of stage.</param>
    /// <returns>This builder.</returns>
    public StageBuilder WithKind(StageKind kind)
    {
        Kind = kind;
        return this;
    }

    /// <summary>Sets the phase of the funnel (TOFU / MOFU / BOFU). Defaults to <see cref="FunnelPhase.None"/>.</summary>
    /// <param name="phase">The phase.</param>
    /// <returns>This builder.</returns>
    public StageBuilder WithPhase(FunnelPhase phase)
    {
        Phase = phase;
        return this;
    }

    /// <summary>Sets the team that owns the stage, such as "Marketing" or "Sales". Defaults to none.</summary>
    /// <param name="owner">The owner; blank means none.</param>
    /// <returns>This builder.</returns>
    public StageBuilder WithOwner(string? owner)
    {
        Owner = string.IsNullOrWhiteSpace(owner) ? null : owner;
        return this;
    }

    /// <summary>Adds channels that work at this stage (see <see cref="Core.Channels"/>); duplicates are kept once.</summary>
    /// <param name="channels">The channel tags.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="channels"/> is <see langword="null"/>.</exception>
    public StageBuilder WithChannels(params string[] channels)
    {
        Guard.Against.Null(channels);
        foreach (var channel in channels)
        {
            if (!_channels.Contains(channel, StringComparer.Ordinal))
            {
                _channels.Add(channel);
            }
        }

        return this;
    }

    /// <summary>Sets the probability, from 0 to 1, that a lead in this stage is eventually won. Defaults to none.</summary>
    /// <param name="probability">The probability; validated by <see cref="FunnelDefinitionBuilder.Build"/>.</param>
    /// <returns>This builder.</returns>
    public StageBuilder WithWinProbability(double? probability)
    {
        WinProbability = probability;
        return this;
    }

    /// <summary>Sets how long a lead may stay idle in this stage. Defaults to no limit.</summary>
    /// <param name="idleLimit">The limit; must be positive, validated by <see cref="FunnelDefinitionBuilder.Build"/>.</param>
    /// <returns>This builder.</returns>
    public StageBuilder WithIdleLimit(TimeSpan? idleLimit)
    {
        IdleLimit = idleLimit;
        return this;
    }

    /// <summary>
    /// Sets the per-step conversion window of the window funnel's step into this stage: an entry into it counts only
    /// within this time of the matched entry into the previous stage. Defaults to none.
    /// </summary>
    /// <param name="stepWindow">The window; whole seconds, not negative, not on the first stage; validated by <see cref="FunnelDefinitionBuilder.Build"/>.</param>
    /// <returns>This builder.</returns>
    public StageBuilder WithStepWindow(TimeSpan? stepWindow)
    {
        StepWindow = stepWindow;
        return this;
    }

    /// <summary>Adds attribute names that must be present on a journey before it may enter this stage; duplicates are kept once.</summary>
    /// <param name="attributeNames">The attribute names.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="attributeNames"/> is <see langword="null"/>.</exception>
    public StageBuilder RequireAttributes(params string[] attributeNames)
    {
        Guard.Against.Null(attributeNames);
        foreach (var name in attributeNames)
        {
            if (!_requiredAttributes.Contains(name, StringComparer.Ordinal))
            {
                _requiredAttributes.Add(name);
            }
        }

        return this;
    }
}
