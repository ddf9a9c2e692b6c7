@echo off
rem fnp : vérifier des dossiers reçus sans ouvrir d'invite de commandes.
rem Glisser un dossier (ou un ou plusieurs classeurs) sur ce fichier : fnp vérifie chaque
rem dossier, écrit à côté le rapport (rapport.html, synthese.csv, synthese.json,
rem constats.csv) et les copies annotées, puis ouvre rapport.html.
rem Chaque chemin est entre guillemets et hors de tout bloc entre parenthèses : un nom de
rem dossier avec & ou ( ) ne casse rien.
rem FNP_SANS_OUVRIR=1 n'ouvre pas le rapport, FNP_SANS_PAUSE=1 n'attend pas (essais).
rem scripts/release.sh l'écrit dans le jeu de caractères de la console (CP850, fins de ligne
rem CRLF) : cmd lit ainsi ses accents sans « chcp », ceux de ses messages comme ceux du nom
rem « copies annotées » ; fnp.exe, lui, écrit à la console en Unicode.
setlocal EnableExtensions DisableDelayedExpansion
set "FNP=%~dp0fnp.exe"
set "CODE_LOT=0"
if exist "%FNP%" goto :debut
echo fnp.exe est introuvable à côté de ce fichier : gardez-les ensemble dans le même dossier.
set "CODE_LOT=2"
goto :fin
:debut
if not "%~1"=="" goto :suivant
echo Pour vérifier des dossiers, glissez sur ce fichier le dossier qui contient les
echo classeurs reçus des associations, ou un ou plusieurs classeurs.
echo Le rapport et les copies annotées seront écrits à côté de ce que vous avez glissé.
set "CODE_LOT=2"
goto :fin
:suivant
if "%~1"=="" goto :fin
set "ENTREE=%~f1"
set "RAPPORT=%~f1 - rapport fnp"
set "COPIES=%~f1 - copies annotées fnp"
shift
echo.
echo Vérification de "%ENTREE%"
echo.
"%FNP%" check --quiet --force "%ENTREE%" --report "%RAPPORT%" --annotate "%COPIES%"
set "CODE=%ERRORLEVEL%"
echo.
if "%CODE%"=="0" echo Résultat : aucun dossier non conforme.
if "%CODE%"=="1" echo Résultat : au moins un dossier est non conforme ; le rapport dit pourquoi.
if "%CODE%"=="2" echo Résultat : un fichier n'a pas pu être lu, ou le rapport n'a pas pu être écrit ; voyez les messages ci-dessus.
if %CODE% GTR %CODE_LOT% set "CODE_LOT=%CODE%"
if not exist "%RAPPORT%\rapport.html" goto :suivant
echo Rapport : "%RAPPORT%\rapport.html"
echo Copies annotées : "%COPIES%"
if not defined FNP_SANS_OUVRIR start "" "%RAPPORT%\rapport.html"
goto :suivant
:fin
echo.
if not defined FNP_SANS_PAUSE pause
exit /b %CODE_LOT%
