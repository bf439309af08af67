"""Hospital feeds through clients no one here wrote: the `hl7` package's
`mllp_send` and MLLPClient, messages built with hl7apy, FHIR resources
checked against the R4 definitions (fhir.resources, R4B models: R4's
Encounter, CapabilityStatement, OperationOutcome and Bundle)."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import hl7
from hl7.client import MLLPClient
from hl7apy.parser import parse_message
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.operationoutcome import OperationOutcome

from conftest import IDLE_SECONDS, MAX_FRAME
from messages import apy24, nhs, pas23

FHIR = "application/fhir+json"


def send(server, text: str) -> hl7.Message:
    with MLLPClient("127.0.0.1", server.mllp_port) as client:
        return hl7.parse(client.send_message(text))


def msa(ack: hl7.Message) -> str:
    return str(ack.segment("MSA")[1])


def test_mllp_send_takes_a_2_3_file_with_line_feeds_and_z_segments(server, tmp_path):
    patient = nhs(999_000_101)
    messages = [
        pas23("A01", "F23001", "202611020900", patient, "SP2301", ward="7B"),
        pas23("A02", "F23002", "202611040900", patient, "SP2301", ward="W2"),
        pas23("A03", "F23003", "202611060900", patient, "SP2301", disposition="19"),
        pas23("A13", "F23004", "202611061000", patient, "SP2301"),  # the discharge cancelled
    ]
    path = tmp_path / "pas-export.hl7"
    path.write_text("".join(messages))
    mllp_send = Path(sys.executable).parent / "mllp_send"
    done = subprocess.run([str(mllp_send), "--loose", "-f", str(path), "-p", str(server.mllp_port), "127.0.0.1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    codes = [str(line.split("|")[1]) for line in done.stdout.replace("\r", "\n").splitlines() if line.startswith("MSA")]
    assert codes == ["AA", "AA", "AA", "AA"], done.stdout


def test_hl7apy_2_4_messages_are_acknowledged_in_their_version(server):
    patient = nhs(999_000_202)
    ack_text = None
    with MLLPClient("127.0.0.1", server.mllp_port) as client:
        for trigger, control, when, ward in [("A01", "APY001", "20261110093000", "W1"), ("A02", "APY002", "20261111093000", "W2")]:
            ack_text = client.send_message(apy24(trigger, control, when, patient, "APYV1", ward=ward)).decode()
            assert "MSA|AA|" + control in ack_text
    ack = parse_message(ack_text.replace("\n", "\r").strip(), find_groups=False)
    assert ack.msh.msh_12.to_er7() == "2.4"
    assert ack.msa.msa_1.to_er7() == "AA"


def test_a_message_sent_twice_is_acknowledged_twice_and_stored_once(server):
    text = apy24("A01", "DUP001", "20261112090000", nhs(999_000_303), "DUPV1")
    assert msa(send(server, text)) == "AA"
    assert msa(send(server, text)) == "AA"


def test_refusals_name_the_field(server):
    patient = nhs(999_000_404)
    unmapped = apy24("A01", "BAD001", "20261112090000", patient, "BADV1", facility="ZZZ9")
    ack = send(server, unmapped)
    assert msa(ack) == "AE"
    assert "ZZZ9 is not mapped" in str(ack.segment("MSA")[3])
    assert str(ack.segment("ERR")[1][0][0]) == "PV1"
    no_visit = pas23("A01", "BAD002", "202611120900", patient, "", ward="W1")
    ack = send(server, no_visit)
    assert msa(ack) == "AE" and "PV1" in str(ack.segment("ERR"))
    wrong_version = apy24("A01", "BAD003", "20261112090000", patient, "BADV3").replace("|P|2.4", "|P|2.7")
    assert msa(send(server, wrong_version)) == "AR"


def test_an_oversized_frame_closes_the_connection(server):
    with socket.create_connection(("127.0.0.1", server.mllp_port), timeout=10) as s:
        s.sendall(b"\x0bMSH|^~\\&|" + b"X" * (MAX_FRAME + 10))
        s.settimeout(10)
        assert s.recv(100) == b""


def test_a_silent_connection_is_timed_out(server):
    with socket.create_connection(("127.0.0.1", server.mllp_port), timeout=IDLE_SECONDS + 10) as s:
        started = time.time()
        assert s.recv(100) == b""
        assert time.time() - started < IDLE_SECONDS + 5


def request(server, method, path, body=None, token="feed", content_type=FHIR):
    headers = {"Accept": FHIR}
    if token:
        headers["Authorization"] = "Bearer " + (server.feed_token if token == "feed" else server.data_token)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = content_type
    req = urllib.request.Request(server.url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = raw.decode(errors="replace")
        return error.code, error.headers, payload


def encounter(status="in-progress", end=None, wards=(("W1", "2026-11-20T09:00:00+00:00"),), facility="ACU1", number=None):
    resource = {
        "resourceType": "Encounter",
        "status": status,
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP", "display": "inpatient encounter"},
        "subject": {"identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": number or nhs(999_000_505)}},
        "period": {"start": wards[0][1], **({"end": end} if end else {})},
        "location": [{"location": {"identifier": {"value": ward}, "display": ward}, "period": {"start": start}} for ward, start in wards],
        "serviceProvider": {"identifier": {"system": "https://fhir.nhs.uk/Id/ods-site-code", "value": facility}},
    }
    if end:
        resource["hospitalization"] = {"dischargeDisposition": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/discharge-disposition", "code": "home"}]}}
    Encounter.model_validate(resource)  # what we send is valid R4
    return resource


def test_capability_statement_is_valid_r4(server):
    status, headers, body = request(server, "GET", "/fhir/metadata", token=None)
    assert status == 200 and headers["Content-Type"].startswith(FHIR)
    statement = CapabilityStatement.model_validate(body)
    assert statement.fhirVersion == "4.0.1"
    assert {i.code for i in statement.rest[0].resource[0].interaction} == {"read", "create", "update"}


def test_encounters_create_update_read_and_transaction(server):
    status, headers, created = request(server, "POST", "/fhir/Encounter", encounter())
    assert status == 201, created
    Encounter.model_validate(created)
    assert headers["Location"].startswith("/fhir/Encounter/" + created["id"])

    moved = encounter(wards=(("W1", "2026-11-20T09:00:00+00:00"), ("W2", "2026-11-22T10:00:00+00:00")))
    status, _, updated = request(server, "PUT", "/fhir/Encounter/pas-enc-1", moved)
    assert status == 201, updated
    finished = encounter(status="finished", end="2026-11-24T12:00:00+00:00", wards=moved_wards(moved))
    status, _, updated = request(server, "PUT", "/fhir/Encounter/pas-enc-1", finished)
    assert status == 200, updated
    assert Encounter.model_validate(updated).meta.versionId == "2"

    status, _, read = request(server, "GET", "/fhir/Encounter/pas-enc-1", token="data")
    assert status == 200
    assert Encounter.model_validate(read).status == "finished"

    bundle = {
        "resourceType": "Bundle", "type": "transaction",
        "entry": [
            {"resource": encounter(number=nhs(999_000_606)), "request": {"method": "POST", "url": "Encounter"}},
            {"resource": encounter(number=nhs(999_000_707), facility="COM1"), "request": {"method": "PUT", "url": "Encounter/pas-enc-2"}},
        ],
    }
    Bundle.model_validate(bundle)
    status, _, response = request(server, "POST", "/fhir", bundle)
    assert status == 200, response
    assert [e["response"]["status"] for e in Bundle.model_validate(response).model_dump()["entry"]] == ["201 Created", "201 Created"]


def moved_wards(resource):
    return tuple((entry["location"]["identifier"]["value"], entry["period"]["start"]) for entry in resource["location"])


def test_refusals_are_operation_outcomes(server):
    bad = encounter()
    bad["subject"]["identifier"]["value"] = "9990000017"
    status, _, outcome = request(server, "POST", "/fhir/Encounter", bad)
    assert status == 422
    assert OperationOutcome.model_validate(outcome).issue[0].expression == ["Encounter.subject.identifier.value"]
    status, _, outcome = request(server, "POST", "/fhir/Encounter", encounter(facility="ZZZ9"))
    assert status == 422 and "ZZZ9" in OperationOutcome.model_validate(outcome).issue[0].diagnostics
    status, _, outcome = request(server, "GET", "/fhir/Encounter/no-such-one")
    assert status == 404 and OperationOutcome.model_validate(outcome).issue[0].code == "not-found"
    status, _, outcome = request(server, "POST", "/fhir", {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"resource": encounter(number=nhs(999_000_808)), "request": {"method": "PUT", "url": "Encounter/ok-one"}},
        {"resource": encounter(facility="ZZZ9"), "request": {"method": "PUT", "url": "Encounter/bad-one"}},
    ]})
    assert status == 422 and OperationOutcome.model_validate(outcome).issue[0].expression == ["Bundle.entry[1].resource.serviceProvider"]
    assert request(server, "GET", "/fhir/Encounter/ok-one")[0] == 404  # all or nothing
    assert request(server, "POST", "/fhir/Encounter", encounter(), token=None)[0] == 401
    assert request(server, "POST", "/fhir/Encounter", encounter(), token="data")[0] == 403


def test_no_patient_data_in_the_log(server):
    log = Path(server.log_path).read_text()
    for stem in (999_000_101, 999_000_202, 999_000_303, 999_000_404, 999_000_505):
        assert nhs(stem) not in log
    assert "TESTPATIENT" not in log
