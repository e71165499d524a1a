using System.Collections.Immutable;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Rules;

namespace Funnel.Samples.CrmAutomation;

/// <summary>
/// A custom guard: an invoice with a discount above the limit may only be issued by the head of sales.
/// Register it with <c>builder.AddGuard("discount-approval", new DiscountApprovalGuard(20), GuardScope.Entering("invoice-issued"))</c>.
/// </summary>
/// <remarks>Immutable, so one instance serves every journey and thread.</remarks>
public sealed class DiscountApprovalGuard : ITransitionGuard
{
    private readonly int _maxDiscountPercent;

    public DiscountApprovalGuard(int maxDiscountPercent) => _maxDiscountPercent = maxDiscountPercent;

    public GuardVerdict Check(in GuardArguments arguments)
    {
        // The allow path allocates nothing: no strings, no dictionaries.
        if (!arguments.Journey.Attributes.TryGetValue("discount", out var text)
            || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var discount)
            || discount <= _maxDiscountPercent
            || arguments.Actor == "head-of-sales")
        {
            return GuardVerdict.Allow;
        }

        return GuardVerdict.Deny(
            $"A {discount}% discount is above {_maxDiscountPercent}%; the head of sales must issue this invoice.",
            ImmutableDictionary<string, string>.Empty
                .Add("discount", text)
                .Add("limit", _maxDiscountPercent.ToString(CultureInfo.InvariantCulture)));
    }
}
