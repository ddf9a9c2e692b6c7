/* Starts a batch file as the Explorer does when items are dropped on it (hostile round 4):
 * CreateProcess with the command line "SCRIPT" PATH..., each path quoted only when it holds
 * a space, as the Explorer quotes them; Windows (and wine) then run it through
 * cmd.exe /c "…". Used by scripts/release.sh check to drop folders whose names hold
 * & , ; = ^ % ! ( ) on verifier-un-dossier.cmd. Exits with the script's exit code.
 * Usage: lanceur-explorateur.exe SCRIPT PATH... (Windows paths). For the tests only. */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

int wmain(int argc, wchar_t **argv) {
    static wchar_t ligne[32768];
    if (argc < 2) {
        fwprintf(stderr, L"usage : lanceur-explorateur SCRIPT CHEMIN...\n");
        return 98;
    }
    swprintf(ligne, 32768, L"\"%ls\"", argv[1]);
    for (int i = 2; i < argc; i++) {
        int espace = wcschr(argv[i], L' ') != NULL;
        wcsncat(ligne, L" ", 32767 - wcslen(ligne));
        if (espace) wcsncat(ligne, L"\"", 32767 - wcslen(ligne));
        wcsncat(ligne, argv[i], 32767 - wcslen(ligne));
        if (espace) wcsncat(ligne, L"\"", 32767 - wcslen(ligne));
    }
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    if (!CreateProcessW(NULL, ligne, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        fwprintf(stderr, L"CreateProcess : erreur %lu pour %ls\n", GetLastError(), ligne);
        return 99;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 99;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return (int)code;
}
