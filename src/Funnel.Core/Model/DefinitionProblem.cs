namespace Funnel.Core;

/// <summary>One problem found while validating a funnel definition: what is wrong and where.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class DefinitionProblem
{
    /// <summary>Creates a problem.</summary>
    /// <param name="code">The stable code of the problem.</param>
    /// <param name="location">Where the problem is, such as <c>stages[2] 'interest'</c> or <c>transition 'a' -&gt; 'b'</c>.</param>
    /// <param name="message">What is wrong, for people.</param>
    /// <exception cref="ArgumentNullException"><paramref name="location"/> or <paramref name="message"/> is <see langword="null"/>.</exception>
    public DefinitionProblem(DefinitionProblemCode code, string location, string message)
    {
        Guard.Against.Null(location);
        Guard.Against.Null(message);
        Code = code;
        Location = location;
        Message = message;
    }

    /// <summary>Gets the stable code of the problem.</summary>
    public DefinitionProblemCode Code { get; }

    /// <summary>Gets where the problem is, such as <c>stages[2] 'interest'</c>.</summary>
    public string Location { get; }

    /// <summary>Gets what is wrong, for people.</summary>
    public string Message { get; }

    /// <summary>Returns the location, the code and the message.</summary>
    /// <returns>A text such as <c>stages[2] 'interest': DuplicateStageKey: ...</c>.</returns>
    public override string ToString() => $"{Location}: {Code}: {Message}";
}
