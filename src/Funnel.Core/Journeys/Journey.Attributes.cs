namespace Funnel.Core;

/// <content>Attribute and attempt bookkeeping: changes that are always accepted, and the attempt counts.</content>
public sealed partial class Journey
{
    /// <summary>Sets an attribute (amount, source, owner, ...). Always accepted.</summary>
    /// <param name="name">The attribute name; not blank.</param>
    /// <param name="value">The value.</param>
    /// <returns>The new journey.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public JourneyResult SetAttribute(string name, string value)
    {
        Guard.Against.NullOrBlank(name);
        Guard.Against.Null(value);
        return JourneyResult.Accepted(MoveKind.Attribute, With(attributes: Attributes.SetItem(name, value)));
    }

    /// <summary>Removes an attribute if present. Always accepted.</summary>
    /// <param name="name">The attribute name; not blank.</param>
    /// <returns>The new journey (the same journey when the attribute was absent).</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    public JourneyResult RemoveAttribute(string name)
    {
        Guard.Against.NullOrBlank(name);
        return Attributes.ContainsKey(name)
            ? JourneyResult.Accepted(MoveKind.Attribute, With(attributes: Attributes.Remove(name)))
            : JourneyResult.Accepted(MoveKind.Attribute, this);
    }

    /// <summary>Gets the number of attempts recorded at a stage during the lead's latest stay there (see <see cref="Attempts"/>).</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>The count; 0 when none.</returns>
    public int GetAttempts(StageKey stage) => Attempts.TryGetValue(stage, out var count) ? count : 0;
}
