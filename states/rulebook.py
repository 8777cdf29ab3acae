"""Time limits and counting conventions, as settings with the statute's defaults.

Every number cites its source (ogi-rules.md §3). Where the statute is silent the default is the
convention the office follows; an office may change it, never the code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RuleBook:
    """The office's rulebook: periods in working days unless named otherwise."""

    answer_days: int = 20  # Art. 33(1)
    extension_max_days: int = 20  # Art. 33(2): once, at most 20 working days
    correction_notice_days: int = 7  # Art. 30: ask once, within 7 working days of receipt
    correction_reply_default_days: int = 15  # convention: the handler sets it in the notice
    consultation_reply_days: int = 15  # Art. 32 (third party), Art. 34 (other agency)
    internal_consultation_days: int = 5  # convention for 协办/会签: an internal due date only
    fee_payment_days: int = 20  # 国办函〔2020〕109号: from the day after receiving the notice
    # Art. 35 sets no period for the applicant's reasons; like the correction period (Art. 30) it is
    # the office's to set in the notice, and this is the default it offers.
    reasons_reply_default_days: int = 15
    # Whether the time the applicant takes to give reasons (Art. 35) is left out of the answer
    # period. The Regulations are silent. Counting it would let the office's own request eat its
    # 20 working days while it waits on the applicant, which Art. 30 (the period restarts on the
    # corrected application) and 国办函〔2020〕109号 (time until payment not counted) both refuse
    # for the two other waits on the applicant; the same reading is taken here: not counted, from
    # the day the request is sent through the day the reasons arrive or the period ends.
    reasons_period_paused: bool = True
    # Art. 31 fixes receipt, not registration; convention: register (or confirm receipt) within one
    # working day of arrival, else the sweep escalates (the office may change it).
    registration_days: int = 1
    # Convention: a letter whose addressee's period runs from delivery and whose delivery is still
    # unconfirmed this many working days after sending goes to the handler to confirm.
    delivery_confirm_days: int = 5
    # Convention: a pause covers the day the letter is sent through the day the reply arrives
    # (or the pause lapses), both inclusive; overlapping pauses count once.
    pause_includes_send_day: bool = True
    pause_includes_end_day: bool = True
    # ogi-rules §1: a provisional date (a year whose holiday arrangement is not published yet)
    # never works against the applicant or a third party by itself. The sweep takes no lapse
    # (correction, fee, consultation) whose period touches such a year: the handler is asked to
    # confirm and may take the lapse by hand (guard calendar.provisional_no_auto_lapse).
    provisional_dates_lapse_automatically: bool = False


DEFAULT_RULEBOOK = RuleBook()
