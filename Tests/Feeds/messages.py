"""ADT messages in the shapes real PAS systems send: 2.3 with line feeds and
a Z-segment as an older PAS exports them, and 2.4 built with hl7apy."""
from hl7apy.core import Message


def nhs(stem: int) -> str:
    """A valid synthetic NHS number from the 999 range."""
    while True:
        digits = f"{stem:09d}"
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1)))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return digits + str(check)
        stem += 100_000


def pas23(trigger: str, control: str, when: str, nhs_number: str, visit: str, ward: str = "", facility: str = "ACU1",
          disposition: str = "") -> str:
    """A 2.3 message as an older PAS writes it: LF between segments, the local
    number first in PID-3, a ZU segment the receiver must ignore."""
    location = f"{ward}^^B1^{facility}" if ward else ""
    pv1 = ["PV1", "1", "I", location] + [""] * 15 + [visit] + [""] * 16 + [disposition]
    return "\n".join([
        f"MSH|^~\\&|PAS|{facility}|STRANDED|STRANDED|{when}||ADT^{trigger}|{control}|P|2.3",
        f"EVN|{trigger}|{when}",
        f"PID|1||L{control}^^^{facility}^MR~{nhs_number}^^^NHS^NH||TESTPATIENT^SAM^^^MR||19400101|M",
        "|".join(pv1),
        f"ZU1|{when}|SOME^LOCAL^EXTENSION",
    ]) + "\n"


def apy24(trigger: str, control: str, when: str, nhs_number: str, visit: str, ward: str = "W1", facility: str = "ACU1") -> str:
    """A 2.4 message built with hl7apy, with a Z-segment appended as PAS feeds do."""
    message = Message(f"ADT_{trigger}" if trigger != "A03" else "ADT_A03", version="2.4")
    message.msh.msh_3 = "PAS"
    message.msh.msh_4 = facility
    message.msh.msh_5 = "STRANDED"
    message.msh.msh_6 = "STRANDED"
    message.msh.msh_7 = when
    message.msh.msh_9 = f"ADT^{trigger}^ADT_{trigger}"
    message.msh.msh_10 = control
    message.msh.msh_11 = "P"
    message.evn.evn_1 = trigger
    message.evn.evn_2 = when
    message.pid.pid_3 = f"{nhs_number}^^^NHS^NH"
    message.pid.pid_5 = "TESTPATIENT^ROBIN"
    message.pid.pid_7 = "19450202"
    message.pv1.pv1_2 = "I"
    message.pv1.pv1_3 = f"{ward}^^B2^{facility}"
    message.pv1.pv1_19 = visit
    return message.to_er7() + f"\rZPV|{when}|ANYTHING\r"
