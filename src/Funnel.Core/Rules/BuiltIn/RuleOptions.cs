namespace Funnel.Core.Rules;

/// <summary>The options every built-in rule shares: its id, priority and whether it is enabled.</summary>
/// <remarks>Options are set once with object initializers and are then read-only; share them freely.</remarks>
public abstract class RuleOptions
{
    /// <summary>Initializes the options with the rule type's default id.</summary>
    /// <param name="defaultId">The default id (the rule type name, such as <c>max-attempts</c>).</param>
    protected RuleOptions(string defaultId)
    {
        Id = defaultId;
    }

    /// <summary>
    /// Initializes the options from a <see cref="RuleDescriptor"/>'s parameters <c>id</c>, <c>priority</c> and
    /// <c>enabled</c>; an absent parameter keeps the default. The built-in options types read their own parameters the
    /// same way, so each default is written once, on its property.
    /// </summary>
    /// <param name="defaultId">The default id (the rule type name).</param>
    /// <param name="parameters">The parameters.</param>
    private protected RuleOptions(string defaultId, RuleParameters parameters)
        : this(defaultId)
    {
        Id = parameters.GetString("id", Id);
        Priority = parameters.GetInt32("priority", Priority);
        Enabled = parameters.GetBoolean("enabled", Enabled);
    }

    /// <summary>Gets the rule id, unique within a rule set; violations and commands carry it.</summary>
    /// <value>Default: the rule type name (see <see cref="BuiltInRuleTypes"/>).</value>
    public string Id { get; init; }

    /// <summary>Gets the priority: higher runs first; equal priorities keep registration order.</summary>
    /// <value>Default 0.</value>
    public int Priority { get; init; }

    /// <summary>Gets a value indicating whether the rule runs.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool Enabled { get; init; } = true;
}
