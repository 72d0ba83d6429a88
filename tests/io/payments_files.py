"""Synthetic *NHS Payments to General Practice* files in each year's published layout.

The layouts follow the published files' quirks: a byte-order mark, line breaks inside quoted
headers, empty cells for nothing paid, and in 2022/23 the PCN code under `Code` and the PCN name
under a second `CCG NAME`. Column counts match the published files (54, 68, 74, 75).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

IDENTITY_2019 = [
    "NHS England (Region) code",
    "NHS England (Region) Name",
    "CCG Code",
    "CCG NAME",
    "Practice Code",
    "Practice Name",
    "Practice Address",
    "Practice Postcode",
    "Practice Open Date",
    "Practice Close Date",
    "Contract Type",
    "Dispensing Practice",
    "Practice Type",
    "Practice Rurality",
    "Atypical Characteristics",
    "PCN Code",
    "PCN Name",
    "Number of Registered Patients (Last Known Figure)",
    "Number of Weighted Patients (Last Known Figure)",
    "Average payments per registered patient",
    "Average payments per weighted patient",
    "Quarter used for patient data",
]
MONEY_2019 = [
    "Global Sum",
    "MPIG Correction factor",
    "Balance of PMS Expenditure",
    "Total QOF Payments",
    "Childhood Vaccination and Immunisation Scheme",
    "GP Extended Hours Access",
    "Influenza and Pneumococcal Immunisations",
    "Learning Disabilities",
    "Meningitis",
    "Minor Surgery",
    "Out Of Area in Hours Urgent Care",
    "Pertussis",
    "Rotavirus and Shingles Immunisation",
    "Services for Violent Patients",
    "Total Local Incentive Schemes",
    "Premises Payments",
    "Seniority",
    "Doctors Retainer Scheme Payments",
    "Total Locum Allowances",
    "Prolonged Study Leave",
    "Appraisal - Appraiser Costs in Respect of Locums",
    "PCO Admin Other",
    "Information Management and Technology",
    "General Practice Forward View",
    "PCN Participation",
    "Prescribing Fee Payments",
    "Dispensing Fee Payments",
    "Reimbursement of Drugs",
    "Other Payments",
    "Total NHS Payments to General Practice",
    "Deductions for Pensions\n Levies and Prescription Charge Income",
    "Total NHS Payments to General Practice Minus Deductions",
]
PCN_2020 = [
    "PCN Leadership",
    "PCN Support",
    "PCN Extended Hours Access",
    "PCN Workforce",
    "PCN Investment and impact Fund",
    "PCN Care Home Premium",
]
COVID_2020 = [
    "Covid Immunisation",
    "Covid Support and Expansion",
    "Total NHS Payments including PCN Workforce\n Leadership and Support",
    "Total NHS Payments to General Practice including Covid Vaccination and Covid Support and"
    " Expansion Payments",
    "Total NHS Payments to General Practice excluding Covid Vaccination and Covid Support and"
    " Expansion Payments",
]


def _renamed(headers: list[str], old: str, new: str) -> list[str]:
    return [new if h == old else h for h in headers]


def layout(year: str) -> list[str]:
    """The headers of one year's file, in order."""
    money = list(MONEY_2019)
    identity = list(IDENTITY_2019)
    if year == "2019/20":
        return identity + money
    money = _renamed(money, "Total Local Incentive Schemes", "Local Incentive Schemes")
    money = _renamed(money, "General Practice Forward View", "General Practice Transformation")
    extra = PCN_2020 + COVID_2020 + ["Hep B Newborn Vaccinations", "Weight Management Service"]
    if year == "2020/21":
        return identity + money + extra + ["Medical Examiner"]
    extra += [
        "Long Covid",
        "winter Access Fund",
        "Medical Examiner",
        "Appraisal Costs",
        "Pneumococcal Polysaccharide Vaccine",
        "Shingles Catch-up",
        "COVID Capacity",
    ]
    if year == "2021/22":
        return identity + money + extra
    # 2022/23: the sub-ICB name has its own header; the PCN columns are headed Code and CCG NAME.
    identity = _renamed(identity, "CCG NAME", "Sub ICB NAME")
    identity = _renamed(identity, "PCN Code", "Code")
    identity = _renamed(identity, "PCN Name", "CCG NAME")
    return identity + money + extra + ["PCN Enhanced Access"]


def practice(code: str, pcn: str, pcn_name: str, sub_icb: str = "16C") -> dict[str, str]:
    """One practice's row: its codes, a PCN, lists and a few amounts (the rest left empty)."""
    return {
        "NHS England (Region) code": "Y63",
        "NHS England (Region) Name": "North East and Yorkshire",
        "CCG Code": sub_icb,
        "sub icb name": "Tees Valley" if sub_icb == "16C" else "Elsewhere",
        "Practice Code": code,
        "Practice Name": f"Practice {code}",
        "Contract Type": "GMS",
        "pcn code": pcn,
        "pcn name": pcn_name,
        "Number of Registered Patients (Last Known Figure)": "4123.5",
        "Number of Weighted Patients (Last Known Figure)": "4480.25",
        "Global Sum": "400000.10",
        "PCN Participation": "7890.12",
        "Deductions for Pensions\n Levies and Prescription Charge Income": "-1000.5",
    }


def _value(practice: dict[str, str], header: str, headers: list[str], index: int) -> str:
    if header in ("CCG NAME", "Sub ICB NAME") and index == headers.index(header):
        if header == "CCG NAME" and "Code" in headers:
            return practice.get("pcn name", "")  # 2022/23: this CCG NAME is the PCN's name
        return practice.get("sub icb name", "")
    if header in ("PCN Code", "Code"):
        return practice.get("pcn code", "")
    if header == "PCN Name":
        return practice.get("pcn name", "")
    return practice.get(header, "")


def write_payments(
    path: Path, year: str, practices: list[dict[str, str]], *, bom: bool = True
) -> Path:
    """Write a payments file of `year`'s layout (amounts not given are left empty)."""
    headers = layout(year)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    for row in practices:
        writer.writerow([_value(row, h, headers, i) for i, h in enumerate(headers)])
    path.write_text(("\ufeff" if bom else "") + buf.getvalue(), encoding="utf-8", newline="")
    return path
