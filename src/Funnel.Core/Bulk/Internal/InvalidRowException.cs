namespace Funnel.Core.Bulk;

/// <summary>
/// The <see cref="ArgumentException"/> a <see cref="TransitionLog"/> throws for an invalid value: it also carries the
/// row, so that a reader can point at the value in its input (the binary reader names the byte offset).
/// </summary>
#pragma warning disable CA1032, CA1064 // Internal: created only by TransitionLog with a row and a column.
internal sealed class InvalidRowException(int row, string message, string paramName) : ArgumentException(message, paramName)
#pragma warning restore CA1032, CA1064
{
    /// <summary>Gets the 0-based row of the invalid value.</summary>
    public int Row { get; } = row;
}
